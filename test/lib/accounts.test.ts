import { describe, expect, it } from 'vitest'
import { migrateStorage } from '../../src/background/accounts'
import { migrationOf, removeWrite, switchWrite, upsertWrite } from '../../src/lib/account-writes'
import { activeEntry, decodeAccounts, deadReason, entryOf, MAX_ACCOUNTS, type Account } from '../../src/lib/accounts'
import { fakeStorage } from './fake-storage'

const SERVER = 'http://127.0.0.1:8787'
const NOW = Date.UTC(2026, 10, 30)
const DAY = 86_400_000

/** Exactly what the first release (main at 6919771, src/lib/storage.ts) kept in storage.local. */
const V1 = {
  serverUrl: 'http://127.0.0.1:8787',
  session: {
    access_token: 'IGAAT0k3n',
    token_type: 'bearer',
    expires_at: NOW + 59 * DAY,
    issued_at: NOW - DAY,
    user: { id: '7315485093812458', username: 'jayposiris', account_type: 'BUSINESS' },
    permissions: ['instagram_business_basic'],
  },
  profile: { data: { id: '7315485093812458', username: 'jayposiris', name: 'Jay Posiris', media_count: 6 }, fetched_at: NOW - 100 },
  media: { data: [{ id: '17895695668004550', media_type: 'IMAGE', media_url: 'https://x/1.svg', permalink: 'https://x/p/1' }], fetched_at: NOW - 100 },
}

const account = (id: string, over: Partial<Account> = {}): Account => ({
  access_token: `T${id}`,
  token_type: 'bearer',
  expires_at: NOW + 50 * DAY,
  issued_at: NOW - DAY,
  user: { id, username: `u${id}` },
  permissions: [],
  server: SERVER,
  client_id: '1',
  added_at: Number(id),
  ...over,
})

const localOf = (...accounts: Account[]) => ({
  schemaVersion: 2,
  accountOrder: accounts.map((a) => a.user.id),
  ...Object.fromEntries(accounts.map((a) => [`account:${a.user.id}`, a])),
})

describe('migration from version 1', () => {
  it('turns the exact version 1 shape into version 2: same token, profile and posts, active, issued by the saved server', () => {
    const write = migrationOf(V1, SERVER)
    expect(write).toEqual({
      set: {
        schemaVersion: 2,
        accountOrder: ['7315485093812458'],
        'account:7315485093812458': { ...V1.session, server: SERVER, client_id: null, added_at: V1.session.issued_at },
        'profile:7315485093812458': V1.profile,
        'media:7315485093812458': V1.media,
      },
      remove: ['session', 'profile', 'media'],
    })
  })

  it('rewrites storage once, keeps serverUrl, and is a no-op after', async () => {
    const storage = fakeStorage({ local: structuredClone(V1) })
    expect(await migrateStorage(storage)).toBe(true)
    const after = Object.fromEntries(storage.local.data)
    expect(Object.keys(after).sort()).toEqual(['account:7315485093812458', 'accountOrder', 'media:7315485093812458', 'profile:7315485093812458', 'schemaVersion', 'serverUrl'])
    expect(after.serverUrl).toBe(V1.serverUrl)
    const accounts = decodeAccounts(after)
    expect(activeEntry(accounts)).toEqual({ account: after['account:7315485093812458'], profile: V1.profile, media: V1.media })
    expect(await migrateStorage(storage)).toBe(false)
  })

  it('records the saved server URL (or the default) as the issuer of a version 1 token', () => {
    const { serverUrl: _, ...noUrl } = V1
    expect(migrationOf({ ...V1, serverUrl: 'https://connect.example.com' }, 'https://connect.example.com')?.set['account:7315485093812458']).toMatchObject({ server: 'https://connect.example.com' })
    expect(migrationOf(noUrl, SERVER)?.set['account:7315485093812458']).toMatchObject({ server: SERVER })
  })

  it('writes version 2 even with nothing connected, and leaves a newer version alone', () => {
    expect(migrationOf({}, SERVER)).toEqual({ set: { schemaVersion: 2, accountOrder: [] }, remove: [] })
    expect(migrationOf(localOf(account('1')), SERVER)).toBeNull()
    expect(migrationOf({ schemaVersion: 3, session: V1.session }, SERVER)).toBeNull()
  })

  it('ignores damaged version 1 data with the defaults, and still removes it', () => {
    for (const session of [null, 'x', 42, [], {}, { ...V1.session, access_token: 7 }, { ...V1.session, user: null }, { ...V1.session, user: { id: 5, username: 'x' } }, { ...V1.session, expires_at: '2026' }]) {
      const write = migrationOf({ session, profile: 'garbage', media: { data: 'no' } }, SERVER)
      expect(write).toEqual({ set: { schemaVersion: 2, accountOrder: [] }, remove: ['session', 'profile', 'media'] })
    }
    // A good session with damaged caches keeps the session, without the caches.
    const write = migrationOf({ session: V1.session, profile: { data: 1 }, media: { data: [null, 5, { id: 'ok', media_type: 'IMAGE' }] } }, SERVER)
    expect(write?.set['profile:7315485093812458']).toBeUndefined()
    expect(write?.set['media:7315485093812458']).toEqual({ data: [{ id: 'ok', media_type: 'IMAGE' }] })
  })

  it('a version 1 session written after version 2 (a downgrade and an upgrade again) wins only if newer', () => {
    const older = account('7315485093812458', { issued_at: V1.session.issued_at - 1, access_token: 'OLD' })
    const newer = account('7315485093812458', { issued_at: V1.session.issued_at + 1, access_token: 'NEW' })
    const mixed = (a: Account) => ({ ...localOf(account('1'), a), session: V1.session })
    expect(migrationOf(mixed(older), SERVER)?.set).toMatchObject({ 'account:7315485093812458': { access_token: 'IGAAT0k3n' }, accountOrder: ['7315485093812458', '1'] })
    expect(migrationOf(mixed(newer), SERVER)?.set).toMatchObject({ 'account:7315485093812458': { access_token: 'NEW' }, accountOrder: ['1', '7315485093812458'] })
  })
})

describe('decodeAccounts', () => {
  it('reads every account with its caches; the first of accountOrder is active', () => {
    const local = { ...localOf(account('1'), account('2')), accountOrder: ['2', '1'], 'profile:2': { data: { id: '2', username: 'two' }, fetched_at: 1 } }
    const accounts = decodeAccounts(local)
    expect(accounts.list.map((e) => e.account.user.id)).toEqual(['1', '2'])
    expect(accounts.order).toEqual(['2', '1'])
    expect(activeEntry(accounts)?.profile?.data.username).toBe('two')
  })

  it('ignores damaged values with the defaults, never throwing', () => {
    const local = {
      ...localOf(account('1'), account('2')),
      'account:3': { ...account('3'), user: { id: '4', username: 'x' } }, // stored under another id
      'account:5': 'garbage',
      'account:6': { ...account('6'), server: 42 },
      'account:__proto__': { ...account('__proto__'), added_at: 9 },
      'profile:1': { data: null },
      'media:1': { data: [1, null, { id: 'm' }, { id: 'n', caption: 42 }, { id: 'o', media_url: {} }] },
      accountOrder: ['nobody', 7, '2', '2'],
    }
    const accounts = decodeAccounts(local)
    expect(accounts.list.map((e) => e.account.user.id)).toEqual(['1', '2', '__proto__'])
    expect(accounts.order).toEqual(['2', '__proto__', '1'])
    expect(accounts.list[0]).toMatchObject({ profile: null, media: { data: [{ id: 'm' }] } })
    for (const junk of [{}, { accountOrder: 'x' }, { 'account:1': null, accountOrder: ['1'] }]) expect(decodeAccounts(junk)).toEqual({ list: [], order: [] })
  })
})

describe('account writes', () => {
  const two = decodeAccounts(localOf(account('1'), account('2')))

  it('adds a new account as the active one, without a cache', () => {
    expect(upsertWrite(two, account('3'))).toEqual({
      set: { schemaVersion: 2, 'account:3': account('3'), accountOrder: ['3', '1', '2'] },
      remove: ['profile:3', 'media:3'],
    })
  })

  it('replaces the token of an account already there (same user.id), keeping when it was added and its cache', () => {
    const again = account('2', { access_token: 'NEW', added_at: 99 })
    expect(upsertWrite(two, again)).toEqual({ set: { schemaVersion: 2, 'account:2': { ...again, added_at: 2 }, accountOrder: ['2', '1'] }, remove: [] })
  })

  it(`refuses a new account beyond ${MAX_ACCOUNTS}, not a known one`, () => {
    const ten = decodeAccounts(localOf(...Array.from({ length: MAX_ACCOUNTS }, (_, i) => account(String(i + 1)))))
    expect(upsertWrite(ten, account('11'))).toBe('too_many')
    expect(upsertWrite(ten, account('4', { access_token: 'X' }))).not.toBe('too_many')
  })

  it('switches, and removes one (the most recently active other becomes active) or all', () => {
    const three = decodeAccounts({ ...localOf(account('1'), account('2'), account('3')), accountOrder: ['3', '1', '2'] })
    expect(switchWrite(three, '2')).toEqual({ set: { accountOrder: ['2', '3', '1'] }, remove: [] })
    expect(switchWrite(three, 'x')).toBeNull()
    expect(removeWrite(three, ['3'])).toEqual({ set: { accountOrder: ['1', '2'] }, remove: ['account:3', 'profile:3', 'media:3'] })
    expect(removeWrite(three).set).toEqual({ accountOrder: [] })
    expect(removeWrite(three).remove).toHaveLength(9)
  })
})

describe('deadReason', () => {
  it('says why an account cannot be used now', () => {
    expect(deadReason(account('1'), SERVER, NOW)).toBeNull()
    expect(deadReason(account('1'), 'https://other.example', NOW)).toBe('server')
    expect(deadReason(account('1', { expires_at: NOW }), SERVER, NOW)).toBe('expired')
    expect(deadReason(account('1', { needs_reconnect: true }), SERVER, NOW)).toBe('revoked')
    expect(deadReason(account('1', { needs_reconnect: true, reconnect: { code: 'permission_missing', message: 'm' } }), SERVER, NOW)).toBe('permission')
  })
})

describe('damaged stored data reads as absent', () => {
  const raw = { access_token: 'a', token_type: 'bearer', expires_at: 2, issued_at: 1, user: { id: '1', username: 'u' }, permissions: [], server: SERVER, client_id: '1', added_at: 1 }

  it('an account whose user lacks a string id or username', () => {
    expect(entryOf(raw, undefined, undefined)?.account).toEqual(raw)
    for (const user of [{ id: 5, username: 'u' }, { id: '1' }, { id: '', username: 'u' }, { id: '1', username: 7 }, 'u', null]) {
      expect(entryOf({ ...raw, user }, undefined, undefined)).toBeNull()
    }
  })

  it('a profile without its id and username reads as none; damaged posts are dropped', () => {
    expect(entryOf(raw, { data: { id: '1', username: 'u' }, fetched_at: 1 }, undefined)?.profile).not.toBeNull()
    // Also another user's profile under this account's key, and a blank username (newcomer review: the popup showed them).
    for (const data of [{ username: 7 }, { username: 'u' }, { id: 1, username: 'u' }, 'u', { id: '2', username: 'other' }, { id: '1', username: '' }]) {
      expect(entryOf(raw, { data, fetched_at: 1 }, undefined)?.profile).toBeNull()
    }
    const item = { id: 'm', media_type: 'IMAGE', permalink: 'https://instagram.com/p/1' }
    for (const bad of [null, 5, { id: 1 }, { id: 'n', media_type: 3 }, { ...item, id: 'n', caption: 3 }]) {
      expect(entryOf(raw, undefined, { data: [item, bad], fetched_at: 1 })?.media?.data).toEqual([item])
    }
  })

  it('decodeAccounts leaves out the damaged account and keeps the others', () => {
    const local = { [`account:1`]: raw, [`account:2`]: { ...raw, user: { id: '2' } }, accountOrder: ['2', '1'] }
    expect(decodeAccounts(local)).toMatchObject({ list: [{ account: { user: { id: '1' } } }], order: ['1'] })
  })
})
