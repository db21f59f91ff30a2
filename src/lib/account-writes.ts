import {
  ACCOUNT_PREFIX,
  decodeAccounts,
  entryOf,
  find,
  MAX_ACCOUNTS,
  MEDIA_PREFIX,
  ORDER_KEY,
  PROFILE_PREFIX,
  SCHEMA_VERSION,
  V1_KEYS,
  VERSION_KEY,
  type Account,
  type Accounts,
} from './accounts'

/** An account's three keys in `storage.local`. */
export const keysOf = (id: string) => [ACCOUNT_PREFIX + id, PROFILE_PREFIX + id, MEDIA_PREFIX + id]

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A change to `storage.local`: keys to write and keys to remove. */
export interface Write {
  set: Record<string, unknown>
  remove: string[]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * `accounts` with the one connection version 1 kept (`session`, `profile`, `media`), issued by
 * the saved server (`serverUrl`); its `client_id` was not recorded. It was the one in use, so it
 * becomes active, unless a version 2 copy of the same account is as new (a downgrade and an
 * upgrade again).
 */
export function withVersion1(accounts: Accounts, local: Record<string, unknown>, serverUrl: string): Accounts {
  const { session } = local
  const v1 = isObject(session) ? entryOf({ server: serverUrl, client_id: null, added_at: session.issued_at, ...session }, local.profile, local.media) : null
  if (v1 === null) return accounts
  const id = v1.account.user.id
  const known = find(accounts, id)
  if (known !== null && known.account.issued_at >= v1.account.issued_at) return accounts
  return { list: [...accounts.list.filter((e) => e !== known), v1], order: [id, ...accounts.order.filter((o) => o !== id)] }
}

/**
 * The version 2 keys for `accounts` (as decoded from whatever was stored), and the version 1
 * keys to remove: the migration `runtime.onInstalled` (reason `update`) and the worker's first
 * read perform. Null when storage is already version 2 with nothing of version 1 left, or
 * carries a newer version than this code knows (left alone).
 */
export function migrationOf(local: Record<string, unknown>, serverUrl: string): Write | null {
  const version = local[VERSION_KEY]
  const hasV1 = V1_KEYS.some((key) => key in local)
  if (isNumber(version) && version > SCHEMA_VERSION) return null
  if (version === SCHEMA_VERSION && !hasV1) return null
  const accounts = withVersion1(decodeAccounts(local), local, serverUrl)
  const set: Record<string, unknown> = { [VERSION_KEY]: SCHEMA_VERSION, [ORDER_KEY]: accounts.order }
  for (const { account, profile, media } of accounts.list) {
    const id = account.user.id
    set[ACCOUNT_PREFIX + id] = account
    if (profile !== null) set[PROFILE_PREFIX + id] = profile
    if (media !== null) set[MEDIA_PREFIX + id] = media
  }
  return { set, remove: hasV1 ? [...V1_KEYS] : [] }
}

/**
 * Adds an account, or replaces the token of the one with the same `user.id` (never a
 * duplicate), and makes it active. `too_many` when it is new and `MAX_ACCOUNTS` are connected.
 */
export function upsertWrite(accounts: Accounts, account: Account): Write | 'too_many' {
  const id = account.user.id
  const known = find(accounts, id)
  if (known === null && accounts.list.length >= MAX_ACCOUNTS) return 'too_many'
  const saved: Account = known === null ? account : { ...account, added_at: known.account.added_at }
  return {
    set: { [VERSION_KEY]: SCHEMA_VERSION, [ACCOUNT_PREFIX + id]: saved, [ORDER_KEY]: [id, ...accounts.order.filter((o) => o !== id)] },
    // A new account starts without a cache (a stale one could be left by damaged data).
    remove: known === null ? [PROFILE_PREFIX + id, MEDIA_PREFIX + id] : [],
  }
}

/** Makes an account active; null when there is no such account. */
export const switchWrite = (accounts: Accounts, id: string): Write | null =>
  find(accounts, id) === null ? null : { set: { [ORDER_KEY]: [id, ...accounts.order.filter((o) => o !== id)] }, remove: [] }

/** Removes accounts (all of them without `ids`); the most recently active of the others becomes active. */
export function removeWrite(accounts: Accounts, ids: readonly string[] = accounts.order): Write {
  return {
    set: { [ORDER_KEY]: accounts.order.filter((o) => !ids.includes(o)) },
    remove: ids.flatMap(keysOf),
  }
}
