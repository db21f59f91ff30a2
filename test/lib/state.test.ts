import { describe, expect, it } from 'vitest'
import { base64url, generateState, STATE_BYTES } from '../../src/lib/state'

describe('generateState', () => {
  it('is 256 random bits as unpadded base64url (43 characters)', () => {
    const state = generateState()
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(STATE_BYTES * 8).toBeGreaterThanOrEqual(128)
  })

  it('takes its bytes from the injected random source', () => {
    let asked = 0
    const state = generateState((bytes) => {
      asked = bytes.length
      bytes.fill(0xff)
      return bytes
    })
    expect(asked).toBe(32)
    expect(state).toBe('_'.repeat(42) + '8')
  })

  it('differs on every call', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateState()))
    expect(seen.size).toBe(200)
  })
})

describe('base64url', () => {
  it('uses - and _ and drops padding (RFC 4648 §5)', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
    expect(base64url(new Uint8Array([]))).toBe('')
    expect(base64url(new TextEncoder().encode('foobar'))).toBe('Zm9vYmFy')
  })
})
