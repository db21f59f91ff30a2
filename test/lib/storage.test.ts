import { describe, expect, it } from 'vitest'
import { DEFAULT_SERVER_URL, items, readSnapshot } from '../../src/lib/storage'
import { fakeStorage } from './fake-storage'

const account = {
  access_token: 'T',
  token_type: 'bearer',
  expires_at: 2_000,
  issued_at: 1_000,
  user: { id: '17841405793187219', username: 'jay' },
  permissions: [],
  server: DEFAULT_SERVER_URL,
  client_id: '1',
  added_at: 1_000,
}

describe('storage items', () => {
  it('return their defaults when nothing is stored', async () => {
    const storage = fakeStorage()
    expect(await items.serverUrl.get(storage)).toBe(DEFAULT_SERVER_URL)
    expect(DEFAULT_SERVER_URL).toBe('http://127.0.0.1:8787')
    expect(await items.pendingAuth.get(storage)).toBeNull()
    expect(await items.flow.get(storage)).toEqual({ phase: 'idle' })
  })

  it('keep each item in its area: the pending state in memory', async () => {
    const storage = fakeStorage()
    await items.pendingAuth.set(storage, { state: 'S', redirect_uri: 'R', started_at: 1 })
    expect(storage.session.data.get('pendingAuth')).toEqual({ state: 'S', redirect_uri: 'R', started_at: 1 })
    expect(storage.local.data.has('pendingAuth')).toBe(false)
  })

  it('fall back to the default for a malformed stored value', async () => {
    const storage = fakeStorage({ local: { serverUrl: 42 }, session: { flow: 'x', pendingAuth: [] } })
    expect(await items.serverUrl.get(storage)).toBe(DEFAULT_SERVER_URL)
    expect(await items.flow.get(storage)).toEqual({ phase: 'idle' })
    expect(await items.pendingAuth.get(storage)).toBeNull()
  })

  it('remove back to the default', async () => {
    const storage = fakeStorage({ session: { flow: { phase: 'authorizing', started_at: 1 } } })
    await items.flow.remove(storage)
    expect(await items.flow.get(storage)).toEqual({ phase: 'idle' })
  })
})

describe('readSnapshot', () => {
  it('reads every item and the accounts at once', async () => {
    const storage = fakeStorage({
      local: { serverUrl: 'http://127.0.0.1:9000', schemaVersion: 2, accountOrder: [account.user.id], [`account:${account.user.id}`]: account },
      session: { flow: { phase: 'authorizing', started_at: 5 } },
    })
    expect(await readSnapshot(storage)).toEqual({
      serverUrl: 'http://127.0.0.1:9000',
      pendingAuth: null,
      flow: { phase: 'authorizing', started_at: 5 },
      accounts: { list: [{ account, profile: null, media: null }], order: [account.user.id] },
    })
  })
})

describe('damaged stored data reads as absent', () => {
  it('a flow in an unknown phase, without its start, or an error without its whole message', () => {
    const notice = { title: 't', detail: 'd', next: ['retry'] }
    expect(items.flow.decode({ phase: 'error', error: { code: 'x', message: 'm' }, notice, at: 1 })).toMatchObject({ phase: 'error' })
    expect(items.flow.decode({ phase: 'authorizing', started_at: 1, worker: 'w' })).toMatchObject({ phase: 'authorizing' })
    for (const flow of [
      { phase: 'connecting', started_at: 1 },
      { phase: 'exchanging' },
      { phase: 'authorizing', started_at: 1, worker: 3 },
      { phase: 'error', error: {}, notice: {} },
      { phase: 'error', error: { code: 'x', message: 'm' }, notice: { ...notice, next: 'retry' } },
      { phase: 'error', error: { code: 'x', message: 'm' }, notice: { ...notice, next: ['explode'] } },
      // Found by the property test in test/popup/error-codes.test.tsx: an empty title rendered an empty <h1>.
      { phase: 'error', error: { code: 'x', message: 'm' }, notice: { ...notice, title: '' } },
      { phase: 'error', error: { code: 'x', message: 'm' }, notice: { ...notice, title: ' \n\t' } },
      { phase: 'error', error: { code: 'x', message: 'm' }, notice: { ...notice, detail: '' } },
    ]) {
      expect(items.flow.decode(flow)).toEqual({ phase: 'idle' })
    }
  })
})
