import { describe, expect, it } from 'vitest'
import { sessionFromRefresh, sessionFromToken, shouldRefresh } from '../../src/lib/session'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const now = Date.UTC(2025, 0, 1)
const long = (issuedAgo: number, expiresIn: number) => ({
  access_token: 'T',
  token_type: 'bearer',
  issued_at: now - issuedAgo,
  expires_at: now + expiresIn,
  user: { id: '1', username: 'u' },
  permissions: [],
})

describe('sessionFromToken / sessionFromRefresh', () => {
  it('turns expires_in seconds into an absolute expiry', () => {
    const s = sessionFromToken({ access_token: 'T', token_type: 'bearer', expires_in: 3600, user: { id: '1', username: 'u' }, permissions: ['a'] }, now)
    expect(s).toEqual({ access_token: 'T', token_type: 'bearer', issued_at: now, expires_at: now + HOUR, user: { id: '1', username: 'u' }, permissions: ['a'] })
    const r = sessionFromRefresh(s, { access_token: 'T2', token_type: 'bearer', expires_in: 60 * 86400 }, now + DAY)
    expect(r).toMatchObject({ access_token: 'T2', issued_at: now + DAY, expires_at: now + 61 * DAY, user: { id: '1' } })
  })
})

describe('shouldRefresh', () => {
  it('refreshes a long-lived token over 24 h old that expires within 7 days', () => {
    expect(shouldRefresh({ ...long(54 * DAY, 6 * DAY) }, now)).toBe(true)
  })
  it('leaves a token that expires in more than 7 days', () => {
    expect(shouldRefresh(long(2 * DAY, 58 * DAY), now)).toBe(false)
  })
  it('leaves a token under 24 h old (Instagram refuses it)', () => {
    const s = { ...long(23 * HOUR, 6 * DAY) }
    s.issued_at = now - 23 * HOUR
    s.expires_at = now + 3 * DAY
    expect(shouldRefresh(s, now)).toBe(false)
  })
  it('leaves an expired token, a short-lived token and a revoked one', () => {
    expect(shouldRefresh(long(61 * DAY, -DAY), now)).toBe(false)
    const short = { ...long(0, HOUR) }
    expect(shouldRefresh(short, now + 30 * 60_000 + DAY)).toBe(false)
    expect(shouldRefresh({ ...long(54 * DAY, 6 * DAY), needs_reconnect: true }, now)).toBe(false)
  })
})
