import { describe, expect, it } from 'vitest'
import { decodeAccounts } from '../../src/lib/accounts'
import type { Snapshot } from '../../src/lib/storage'
import { deriveView, FLOW_STALE_MS } from '../../src/lib/view'

const now = 1_000_000_000
const SERVER = 'http://127.0.0.1:8787'
const session = {
  access_token: 'T',
  token_type: 'bearer',
  issued_at: now - 1000,
  expires_at: now + 60_000,
  user: { id: '7', username: 'jay' },
  permissions: [],
  server: SERVER,
  client_id: '1',
  added_at: now - 1000,
}
const notice = { title: 'T', detail: 'D', next: ['retry' as const] }
const empty: Snapshot = { serverUrl: SERVER, pendingAuth: null, flow: { phase: 'idle' }, accounts: { list: [], order: [] } }

/** A snapshot whose active account is `account`, with these caches (the keys of storage.local, schema 2). */
const snap = (account: Record<string, unknown>, caches: { profile?: unknown; media?: unknown } = {}, over: Partial<Snapshot> = {}): Snapshot => ({
  ...empty,
  accounts: decodeAccounts({ 'account:7': account, 'profile:7': caches.profile, 'media:7': caches.media, accountOrder: ['7'] }),
  ...over,
})

describe('deriveView', () => {
  it('is not configured without a server URL', () => {
    expect(deriveView({ ...empty, serverUrl: '' }, now)).toEqual({ kind: 'not_configured' })
  })

  it('is not configured when the flow stopped on not_configured', () => {
    expect(deriveView({ ...empty, flow: { phase: 'error', error: { code: 'not_configured', message: '' }, notice, at: now } }, now)).toEqual({ kind: 'not_configured' })
  })

  it('is disconnected without a session', () => {
    expect(deriveView(empty, now)).toEqual({ kind: 'disconnected' })
  })

  it('is connecting while the flow runs, and forgets a stale flow', () => {
    expect(deriveView({ ...empty, flow: { phase: 'authorizing', started_at: now - 5 } }, now)).toEqual({ kind: 'connecting', phase: 'authorizing' })
    expect(deriveView({ ...empty, flow: { phase: 'exchanging', started_at: now } }, now)).toEqual({ kind: 'connecting', phase: 'exchanging' })
    expect(deriveView({ ...empty, flow: { phase: 'authorizing', started_at: now - FLOW_STALE_MS } }, now)).toEqual({ kind: 'disconnected' })
  })

  it('shows the flow error', () => {
    const error = { code: 'cancelled', message: 'The user denied your request' }
    expect(deriveView(snap(session, {}, { flow: { phase: 'error', error, notice, at: now } }), now)).toEqual({ kind: 'error', error, notice })
  })

  it('is connected with the cached profile and media', () => {
    const profile = { id: '7', username: 'jay', account_type: 'BUSINESS', media_count: 3 }
    const media = [{ id: 'm1', media_type: 'IMAGE' }]
    expect(deriveView(snap(session, { profile: { data: profile, fetched_at: now }, media: { data: media, fetched_at: now } }), now)).toEqual({
      kind: 'connected',
      profile,
      media,
    })
  })

  it('falls back to the user from /token before /me answered', () => {
    expect(deriveView(snap(session), now)).toEqual({ kind: 'connected', profile: { id: '7', username: 'jay' }, media: null })
  })

  it('asks to reconnect when the token was revoked or expired, keeping the profile', () => {
    expect(deriveView(snap({ ...session, needs_reconnect: true }), now)).toMatchObject({
      kind: 'reconnect',
      profile: { id: '7', username: 'jay' },
      reason: 'revoked',
    })
    expect(deriveView(snap({ ...session, expires_at: now }), now)).toMatchObject({ kind: 'reconnect', reason: 'expired' })
    expect(deriveView(snap({ ...session, needs_reconnect: true, reconnect: { code: 'permission_missing', message: 'm' } }), now)).toMatchObject({ kind: 'reconnect', reason: 'permission' })
  })

  it('asks to reconnect an account of another server than the saved one (its token goes to its own server only)', () => {
    expect(deriveView(snap({ ...session, server: 'https://old.example' }), now)).toMatchObject({ kind: 'reconnect', reason: 'server', account: { server: 'https://old.example' } })
  })
})
