import { describe, expect, it } from 'vitest'
import { withAccounts } from '../../bench/lib/many-accounts'
import { activeEntry, decodeAccounts, SCHEMA_VERSION } from '../../src/lib/accounts'

const account = {
  access_token: 'IGAAtoken',
  token_type: 'bearer',
  expires_at: 2_000_000_000_000,
  issued_at: 1_700_000_000_000,
  user: { id: '17841400000000001', username: 'jayposiris' },
  permissions: ['instagram_business_basic'],
  server: 'http://127.0.0.1:8787',
  client_id: '990000000000001',
  added_at: 1_700_000_000_000,
}
const local = {
  schemaVersion: SCHEMA_VERSION,
  serverUrl: 'http://127.0.0.1:8787',
  accountOrder: [account.user.id],
  [`account:${account.user.id}`]: account,
  [`profile:${account.user.id}`]: { data: { id: account.user.id, username: 'jayposiris', media_count: 2 }, fetched_at: 1 },
  [`media:${account.user.id}`]: { data: [{ id: 'm1', media_type: 'IMAGE' }, { id: 'm2', media_type: 'VIDEO' }], fetched_at: 1 },
}

describe('withAccounts (row 5: the paint with several accounts stored)', () => {
  it('stores `count` valid accounts with their caches, the active one unchanged and still active', () => {
    const accounts = decodeAccounts(withAccounts(local, 10))
    expect(accounts.list).toHaveLength(10)
    expect(new Set(accounts.list.map((e) => e.account.user.username)).size).toBe(10)
    expect(accounts.list.every((e) => e.profile !== null && e.media?.data.length === 2)).toBe(true)
    expect(activeEntry(accounts)?.account).toEqual(account)
  })

  it('leaves the input alone, and one account is the input itself', () => {
    const before = JSON.stringify(local)
    expect(decodeAccounts(withAccounts(local, 1)).list).toHaveLength(1)
    withAccounts(local, 10)
    expect(JSON.stringify(local)).toBe(before)
  })

  it('refuses storage without a connected account', () => {
    expect(() => withAccounts({ schemaVersion: SCHEMA_VERSION }, 10)).toThrow('no account')
  })
})
