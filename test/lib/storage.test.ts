import { describe, expect, it } from 'vitest'
import { applyChanges, DEFAULT_SERVER_URL, items, readSnapshot } from '../../src/lib/storage'
import { fakeStorage } from './fake-storage'

const session = {
  access_token: 'T',
  token_type: 'bearer',
  expires_at: 2_000,
  issued_at: 1_000,
  user: { id: '17841405793187219', username: 'jay' },
  permissions: [],
}

describe('storage items', () => {
  it('return their defaults when nothing is stored', async () => {
    const storage = fakeStorage()
    expect(await items.serverUrl.get(storage)).toBe(DEFAULT_SERVER_URL)
    expect(DEFAULT_SERVER_URL).toBe('http://127.0.0.1:8787')
    expect(await items.session.get(storage)).toBeNull()
    expect(await items.flow.get(storage)).toEqual({ phase: 'idle' })
  })

  it('keep each item in its area: the token on disk, the pending state in memory', async () => {
    const storage = fakeStorage()
    await items.session.set(storage, session)
    await items.pendingAuth.set(storage, { state: 'S', redirect_uri: 'R', started_at: 1 })
    expect(storage.local.data.get('session')).toEqual(session)
    expect(storage.session.data.get('pendingAuth')).toEqual({ state: 'S', redirect_uri: 'R', started_at: 1 })
    expect(storage.local.data.has('pendingAuth')).toBe(false)
  })

  it('fall back to the default for a malformed stored value', async () => {
    const storage = fakeStorage({ local: { serverUrl: 42, session: { access_token: 1 } }, session: { flow: 'x' } })
    expect(await items.serverUrl.get(storage)).toBe(DEFAULT_SERVER_URL)
    expect(await items.session.get(storage)).toBeNull()
    expect(await items.flow.get(storage)).toEqual({ phase: 'idle' })
  })

  it('remove back to the default', async () => {
    const storage = fakeStorage({ local: { session } })
    await items.session.remove(storage)
    expect(await items.session.get(storage)).toBeNull()
  })
})

describe('readSnapshot / applyChanges', () => {
  it('reads every item at once', async () => {
    const storage = fakeStorage({ local: { serverUrl: 'http://127.0.0.1:9000', session }, session: { flow: { phase: 'authorizing', started_at: 5 } } })
    expect(await readSnapshot(storage)).toEqual({
      serverUrl: 'http://127.0.0.1:9000',
      session,
      profile: null,
      media: null,
      pendingAuth: null,
      flow: { phase: 'authorizing', started_at: 5 },
    })
  })

  it('applies onChanged events for the right area only', async () => {
    const snapshot = await readSnapshot(fakeStorage())
    const next = applyChanges(snapshot, { flow: { newValue: { phase: 'exchanging', started_at: 1 } } }, 'session')
    expect(next.flow).toEqual({ phase: 'exchanging', started_at: 1 })
    expect(applyChanges(snapshot, { flow: { newValue: { phase: 'exchanging', started_at: 1 } } }, 'local')).toBe(snapshot)
    const removed = applyChanges({ ...snapshot, session }, { session: {} }, 'local')
    expect(removed.session).toBeNull()
  })
})

describe('damaged stored data reads as absent', () => {
  const session = { access_token: 'a', token_type: 'bearer', expires_at: 2, issued_at: 1, user: { id: '1', username: 'u' }, permissions: [] }
  it('a session whose user lacks a string id or username', () => {
    expect(items.session.decode(session)).toEqual(session)
    for (const user of [{ id: 5, username: 'u' }, { id: '1' }, 'u', null]) expect(items.session.decode({ ...session, user })).toBeNull()
  })

  it('a profile without its id and username, media with a damaged item', () => {
    expect(items.profile.decode({ data: { id: '1', username: 'u' }, fetched_at: 1 })).not.toBeNull()
    expect(items.profile.decode({ data: { username: 7 }, fetched_at: 1 })).toBeNull()
    const item = { id: 'm', media_type: 'IMAGE', permalink: 'https://instagram.com/p/1' }
    expect(items.media.decode({ data: [item], fetched_at: 1 })).not.toBeNull()
    for (const bad of [null, 5, { id: 1 }, { ...item, caption: 3 }]) expect(items.media.decode({ data: [item, bad], fetched_at: 1 })).toBeNull()
  })

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
    ]) {
      expect(items.flow.decode(flow)).toEqual({ phase: 'idle' })
    }
  })
})
