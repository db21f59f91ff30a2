import { describe, expect, it } from 'vitest'
import { base64UrlEncode, signRequest, verifySignedRequest } from '../../server/signed-request'

const SECRET = 'app-secret-for-tests'
const encode = (value: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)))

describe('verifySignedRequest', () => {
  it('accepts what Meta sends: HMAC-SHA256 of the encoded payload', async () => {
    const signed = await signRequest({ algorithm: 'HMAC-SHA256', user_id: '17841405793187219', issued_at: 1700000000 }, SECRET)
    const result = await verifySignedRequest(signed, SECRET)
    expect(result).toEqual({ ok: true, payload: { algorithm: 'HMAC-SHA256', user_id: '17841405793187219', issued_at: 1700000000 } })
  })

  it('refuses another key, a changed payload, a truncated signature and junk', async () => {
    const signed = await signRequest({ algorithm: 'HMAC-SHA256', user_id: '1' }, SECRET)
    const [sig, payload] = signed.split('.') as [string, string]
    expect((await verifySignedRequest(signed, 'other-secret')).ok).toBe(false)
    expect((await verifySignedRequest(`${sig}.${encode({ algorithm: 'HMAC-SHA256', user_id: '2' })}`, SECRET)).ok).toBe(false)
    expect((await verifySignedRequest(`${sig.slice(0, -4)}.${payload}`, SECRET)).ok).toBe(false)
    for (const junk of ['', '.', 'abc', 'a.b.c', `${sig}.`, `.${payload}`, `${sig}.${payload}!`, 'é.é']) {
      expect((await verifySignedRequest(junk, SECRET)).ok).toBe(false)
    }
  })

  it('refuses a correctly signed payload whose algorithm is not HMAC-SHA256', async () => {
    for (const algorithm of ['none', 'HMAC-SHA1', undefined]) {
      const signed = await signRequest({ algorithm, user_id: '1' }, SECRET)
      expect(await verifySignedRequest(signed, SECRET)).toMatchObject({ ok: false, reason: 'algorithm is not HMAC-SHA256' })
    }
  })

  it('refuses a signed payload that is not a JSON object', async () => {
    const payload = base64UrlEncode(new TextEncoder().encode('[1,2]'))
    const { hmacBase64Url } = await import('../../server/signed-request')
    expect((await verifySignedRequest(`${await hmacBase64Url(payload, SECRET)}.${payload}`, SECRET)).ok).toBe(false)
  })
})
