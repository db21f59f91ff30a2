import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { base64UrlEncode, hmacBase64Url, signRequest } from '../../server/signed-request'
import { Figures } from './support/figures'
import { FuzzStack } from './support/fuzz-stack'
import { contractViolations, outcomeOf } from './support/oracle'
import { send } from './support/send'
import { SEED, SIZE, TEST_TIMEOUT_MS } from './support/size'

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS })

/**
 * Meta's deauthorize and data-deletion callbacks under attack, over HTTP: forged, mutated,
 * truncated, wrong-algorithm and replayed `signed_request`s, and forged confirmation codes.
 *
 * Replays (decided, docs/reliability.md): both callbacks are idempotent and the server keeps no
 * state, so a replayed, validly signed request changes nothing a first delivery did not; Meta
 * also redelivers callbacks that failed. A replay is therefore answered like the original, and
 * `issued_at` is not used to refuse old ones. What must never pass is a request the app secret
 * did not sign, including a second spelling of a signed one.
 */

const figures = new Figures('callbacks')
let fz: FuzzStack
const PATHS = ['/instagram/deauthorize', '/instagram/data-deletion'] as const

beforeAll(async () => {
  fz = await FuzzStack.start()
})

afterAll(async () => {
  await fz?.close()
  figures.flush()
})

const BOUNDARY = '----ReliabilityBoundary7MA4YWxkTrZu0gW'
const encodeJson = (value: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)))

async function post(path: string, signedRequest: string, multipart = false) {
  let body: Buffer
  let type: string
  if (multipart) {
    // A boundary as long and random as a browser's or Meta's: Node 20's multipart parser (undici
    // 6) refuses a body whose content contains the boundary string anywhere, even without `--`
    // (nodejs/undici#5561).
    type = `multipart/form-data; boundary=${BOUNDARY}`
    body = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="signed_request"\r\n\r\n${signedRequest}\r\n--${BOUNDARY}--\r\n`)
  } else {
    type = 'application/x-www-form-urlencoded'
    body = Buffer.from(new URLSearchParams({ signed_request: signedRequest }).toString())
  }
  const answer = await send(fz.url, { method: 'POST', target: path, headers: { 'content-type': type, 'content-length': String(body.length) }, body })
  figures.add('requests')
  const outcome = outcomeOf(answer)
  figures.count('outcomes', outcome)
  fz.capture.response(`POST ${path}`, answer.text)
  return { answer, outcome, problems: contractViolations({ method: 'POST', route: path }, answer, { publicUrl: fz.url }) }
}

const payload = fc.record(
  {
    algorithm: fc.constant('HMAC-SHA256'),
    user_id: fc.oneof(fc.stringMatching(/^\d{1,20}$/), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(Number)),
    issued_at: fc.integer({ min: 0, max: 2 ** 31 }),
    expires: fc.integer(),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['algorithm'] },
)

interface Case {
  signedRequest: string
  path: string
  multipart: boolean
  expected: readonly string[]
}

/** Runs `make` for each generated value (signing is async, so cases are built inside the property). */
async function attack<T>(what: string, arb: fc.Arbitrary<T>, make: (value: T) => Promise<Case | undefined>, runs: number): Promise<void> {
  const failures: string[] = []
  let sent = 0
  await fc.assert(
    fc.asyncProperty(arb, async (value) => {
      const c = await make(value)
      if (!c) return
      sent += 1
      const { outcome, problems } = await post(c.path, c.signedRequest, c.multipart)
      if (!c.expected.includes(outcome)) problems.push(`expected ${c.expected.join(' | ')}, got ${outcome}`)
      if (problems.length > 0) failures.push(`${c.path} ${JSON.stringify(c.signedRequest.slice(0, 140))} → ${problems.join('; ')}`)
    }),
    { numRuns: runs, seed: SEED },
  )
  figures.count('attacks', what, sent)
  figures.add('failures', failures.length)
  expect(failures.slice(0, 5), `${failures.length} of ${sent} ${what} broke the contract (seed ${SEED})`).toEqual([])
  expect(sent).toBeGreaterThan(runs / 2)
}

const runs = Math.max(20, Math.round(SIZE.httpRuns.callbacks / 7))
const where = fc.record({ path: fc.constantFrom(...PATHS), multipart: fc.boolean() })
const REFUSED = ['400 invalid_signed_request']
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('signed_request', () => {
  it('accepts what the app secret signed, form or multipart, whatever the payload', async () => {
    await attack('valid', fc.tuple(payload, where), async ([p, w]) => ({ ...w, signedRequest: await fz.signed(p), expected: ['200'] }), runs)
  })

  it('refuses requests signed with any other key (forged)', async () => {
    const secret = fc.string({ minLength: 1, maxLength: 64 }).filter((k) => k !== fz.stack.emulator.clientSecret)
    await attack('forged', fc.tuple(payload, secret, where), async ([p, key, w]) => ({ ...w, signedRequest: await signRequest(p, key), expected: REFUSED }), runs)
  })

  it('refuses every change to a signed request: one character replaced, inserted or deleted, anywhere', async () => {
    // Half the time near the end of the 43-character signature, where base64's spare bits are.
    const mutation = fc.record({ kind: fc.constantFrom('replace', 'insert', 'delete'), at: fc.oneof(fc.nat(), fc.integer({ min: 38, max: 43 })), ch: fc.constantFrom(...`${BASE64URL}.=`.split('')) })
    await attack(
      'mutated',
      fc.tuple(payload, mutation, where),
      async ([p, m, w]) => {
        const good = await fz.signed(p)
        const i = m.at % good.length
        const bad =
          m.kind === 'replace' ? good.slice(0, i) + m.ch + good.slice(i + 1) : m.kind === 'insert' ? good.slice(0, i) + m.ch + good.slice(i) : good.slice(0, i) + good.slice(i + 1)
        // Base64url padding on the signature is the same signature, spelled in full.
        if (bad === good || bad.replace(/=+\./, '.') === good) return undefined
        return { ...w, signedRequest: bad, expected: bad === '' ? ['400 invalid_request'] : REFUSED }
      },
      runs,
    )
  })

  it('refuses a second spelling of the same signature (the spare bits of its last base64 character)', async () => {
    const signed = await fz.signed()
    const [sig, body] = signed.split('.') as [string, string]
    const spellings = BASE64URL.split('').map((ch) => `${sig.slice(0, -1)}${ch}.${body}`).filter((s) => s !== signed)
    const outcomes = new Set<string>()
    for (const spelling of spellings) outcomes.add((await post(PATHS[0], spelling)).outcome)
    figures.count('attacks', 'respelled', spellings.length)
    expect([...outcomes]).toEqual(['400 invalid_signed_request'])
  })

  it('refuses every truncation', async () => {
    await attack(
      'truncated',
      fc.tuple(payload, fc.nat(), where),
      async ([p, n, w]) => {
        const good = await fz.signed(p)
        const prefix = good.slice(0, n % good.length)
        return { ...w, signedRequest: prefix, expected: prefix === '' ? ['400 invalid_request'] : REFUSED }
      },
      runs,
    )
  })

  it('refuses a correctly signed payload whose algorithm is not HMAC-SHA256, and payloads that are not objects', async () => {
    const algorithm = fc.oneof(
      fc.constantFrom('none', 'None', 'HS256', 'HMAC-SHA1', 'HMAC-SHA512', 'RS256', 'HMAC-SHA256 ', 'HMAC_SHA256', '', null, 1, true),
      fc.string({ maxLength: 20 }),
    ).filter((a) => typeof a !== 'string' || a.toUpperCase() !== 'HMAC-SHA256')
    const notObject = fc.oneof(fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)), fc.constantFrom('{', '', 'null'))
    await attack(
      'wrong-algorithm',
      fc.tuple(fc.oneof(algorithm.map((a) => ({ a })), notObject.map((raw) => ({ raw }))), fc.boolean(), where),
      async ([variant, omit, w]) => {
        if ('a' in variant) {
          const body = omit ? { user_id: '1' } : { algorithm: variant.a, user_id: '1' }
          return { ...w, signedRequest: await signRequest(body, fz.stack.emulator.clientSecret), expected: REFUSED }
        }
        const encoded = typeof variant.raw === 'string' && ['{', '', 'null'].includes(variant.raw) ? base64UrlEncode(new TextEncoder().encode(variant.raw)) : encodeJson(variant.raw)
        if (encoded === '') return undefined
        return { ...w, signedRequest: `${await hmacBase64Url(encoded, fz.stack.emulator.clientSecret)}.${encoded}`, expected: REFUSED }
      },
      runs,
    )
    // "none" with no signature at all, the classic.
    expect((await post(PATHS[0], `.${encodeJson({ algorithm: 'none', user_id: '1' })}`)).outcome).toBe('400 invalid_signed_request')
  })

  it('answers a replay like the original (idempotent, stateless), old issued_at included', async () => {
    for (const issuedAt of [Math.floor(Date.now() / 1000), 1, 978307200]) {
      const signed = await fz.signed({ issued_at: issuedAt })
      const codes: string[] = []
      for (let i = 0; i < 3; i++) {
        expect((await post(PATHS[0], signed)).outcome).toBe('200')
        const deletion = await post(PATHS[1], signed)
        expect(deletion.outcome).toBe('200')
        codes.push((JSON.parse(deletion.answer.text) as { confirmation_code: string }).confirmation_code)
      }
      expect(new Set(codes).size).toBe(3)
      for (const code of codes) {
        const status = await send(fz.url, { method: 'GET', target: `/instagram/deletion?code=${code}`, headers: {} })
        expect(outcomeOf(status)).toBe('200')
      }
    }
  })
})

describe('data-deletion confirmation codes', () => {
  it('refuses forged and altered codes, and codes and signed requests are not interchangeable', async () => {
    const signed = await fz.signed()
    const real = (JSON.parse((await post(PATHS[1], signed)).answer.text) as { confirmation_code: string }).confirmation_code
    const forged = fc.oneof(
      fc.tuple(fc.stringMatching(/^[0-9a-z]{1,12}$/), fc.stringMatching(/^[0-9a-f]{12}$/), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)).map((parts) => parts.join('.')),
      fc.tuple(fc.nat(real.length - 1), fc.constantFrom(...BASE64URL.split(''))).map(([i, ch]) => real.slice(0, i) + ch + real.slice(i + 1)).filter((c) => c !== real),
      fc.constant(signed),
    )
    const failures: string[] = []
    const codeRuns = Math.max(20, Math.round(SIZE.httpRuns.callbacks / 7))
    await fc.assert(
      fc.asyncProperty(forged, async (code) => {
        const answer = await send(fz.url, { method: 'GET', target: `/instagram/deletion?code=${encodeURIComponent(code)}`, headers: {} })
        figures.add('requests')
        const problems = contractViolations({ method: 'GET', route: '/instagram/deletion' }, answer)
        if (outcomeOf(answer) !== '404 not_found') problems.push(`expected 404 not_found, got ${outcomeOf(answer)}`)
        if (problems.length > 0) failures.push(`${code} → ${problems.join('; ')}`)
      }),
      { numRuns: codeRuns, seed: SEED },
    )
    expect(failures.slice(0, 5)).toEqual([])
    expect((await post(PATHS[0], real)).outcome).toBe('400 invalid_signed_request')
  })
})

describe('secrets', () => {
  it('no client secret in any answer or log line of this file', () => {
    fz.collectLogs('callbacks')
    expect(fz.capture.malformedLogLines().slice(0, 5)).toEqual([])
    expect(fz.capture.leaks()).toEqual([])
    fz.capture.flush('callbacks')
  })
})
