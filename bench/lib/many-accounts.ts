import { ACCOUNT_PREFIX, activeEntry, decodeAccounts, MEDIA_PREFIX, ORDER_KEY, PROFILE_PREFIX } from '../../src/lib/accounts'

/**
 * `local` (a `storage.local` of schema 2, src/lib/accounts.ts) with `count` accounts: the active
 * one as it is, and `count - 1` copies of it under other user ids and usernames (its token,
 * profile and posts cache each), added before it and less recently active. For row 5's paint
 * with several accounts stored: the popup reads them all, and shows the same active account.
 */
export function withAccounts(local: Record<string, unknown>, count: number): Record<string, unknown> {
  const active = activeEntry(decodeAccounts(local))
  if (active === null) throw new Error('no account is connected')
  const { account, profile, media } = active
  const out: Record<string, unknown> = { ...local }
  const ids = [account.user.id]
  for (let i = 1; i < count; i++) {
    const id = `${account.user.id}${i}`
    const username = `${account.user.username}_${i}`
    out[ACCOUNT_PREFIX + id] = { ...account, user: { ...account.user, id, username }, added_at: account.added_at - i }
    if (profile !== null) out[PROFILE_PREFIX + id] = { ...profile, data: { ...profile.data, id, username } }
    if (media !== null) out[MEDIA_PREFIX + id] = { ...media, data: media.data.map((item) => ({ ...item, id: `${item.id}${i}` })) }
    ids.push(id)
  }
  out[ORDER_KEY] = ids
  return out
}
