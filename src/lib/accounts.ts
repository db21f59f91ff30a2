import type { MediaItem, Profile } from './api'
import type { MediaCache, ProfileCache, Session } from './storage'

/**
 * The connected Instagram accounts in `storage.local`, schema version 2 (SPEC "Extension
 * behaviour", "Several accounts"). Each account has its own keys, so that writing one account
 * (a refreshed token, a new profile) never rewrites another:
 *
 * - `schemaVersion`: 2.
 * - `account:<user.id>`: an `Account` (the token, its expiry, the server that issued it).
 * - `profile:<user.id>`, `media:<user.id>`: the `GET /me` and `GET /me/media` caches.
 * - `accountOrder`: user ids, most recently active first; the first is the active account.
 *
 * Version 1 (the first release) kept one connection in `session`, `profile` and `media`;
 * `decodeAccounts` reads it as well, and `migrationOf` rewrites it as version 2.
 */
export const SCHEMA_VERSION = 2
export const MAX_ACCOUNTS = 10

export const ACCOUNT_PREFIX = 'account:'
export const PROFILE_PREFIX = 'profile:'
export const MEDIA_PREFIX = 'media:'
export const ORDER_KEY = 'accountOrder'
export const VERSION_KEY = 'schemaVersion'
/** The version 1 keys. */
export const V1_KEYS = ['session', 'profile', 'media'] as const

export const keysOf = (id: string) => [ACCOUNT_PREFIX + id, PROFILE_PREFIX + id, MEDIA_PREFIX + id]

/** A connected account: its token (a Session) and where it came from. Times are epoch ms. */
export interface Account extends Session {
  /** The server URL that issued the token (what the options page had saved then); its token goes there only. */
  server: string
  /** The Instagram app (`/config` `client_id`) that issued it; null for a connection migrated from version 1. */
  client_id: string | null
  added_at: number
  /** Why Reconnect is needed, when `needs_reconnect` is set: the server's error code and its description. */
  reconnect?: { code: string; message: string }
}

export interface AccountEntry {
  account: Account
  profile: ProfileCache | null
  media: MediaCache | null
}

export interface Accounts {
  /** Every account, in the order they were added. */
  list: AccountEntry[]
  /** User ids, most recently active first: `order[0]` is the active account. */
  order: string[]
}

/** Why an account cannot be used now: its token expired, was revoked, lacks a permission, or belongs to another server. */
export type DeadReason = 'expired' | 'revoked' | 'permission' | 'server'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isText = (v: unknown): v is string => typeof v === 'string' && v !== ''
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A stored session (version 1) or account (version 2) whose fields are usable, else null. */
function sessionOf(v: unknown): Session | null {
  if (!isObject(v) || !isText(v.access_token) || !isNumber(v.expires_at) || !isObject(v.user)) return null
  const { user } = v
  if (!isText(user.id) || user.id.length > 64 || typeof user.username !== 'string') return null
  return {
    ...v,
    token_type: typeof v.token_type === 'string' ? v.token_type : 'bearer',
    issued_at: isNumber(v.issued_at) ? v.issued_at : 0,
    permissions: Array.isArray(v.permissions) ? v.permissions.filter(isText) : [],
  } as Session
}

function accountOf(v: unknown): Account | null {
  const session = sessionOf(v)
  if (session === null || !isObject(v) || !isText(v.server)) return null
  return { ...session, server: v.server, client_id: isText(v.client_id) ? v.client_id : null, added_at: isNumber(v.added_at) ? v.added_at : session.issued_at } as Account
}

const profileOf = (v: unknown): ProfileCache | null =>
  isObject(v) && isObject(v.data) && typeof v.data.username === 'string' ? { data: v.data as unknown as Profile, fetched_at: isNumber(v.fetched_at) ? v.fetched_at : 0 } : null

const mediaOf = (v: unknown): MediaCache | null =>
  isObject(v) && Array.isArray(v.data)
    ? { data: v.data.filter((m): m is MediaItem => isObject(m) && isText(m.id)), fetched_at: isNumber(v.fetched_at) ? v.fetched_at : 0 }
    : null

/**
 * The accounts in a raw `storage.local` (everything `get(null)` returns), version 1 or 2.
 * Damaged values are skipped, never thrown: an account whose token record is unusable is left
 * out, a damaged cache reads as none, a damaged `accountOrder` falls back to the newest first.
 * `serverUrl` is the saved server URL, which issued a version 1 session.
 */
export function decodeAccounts(local: Record<string, unknown>, serverUrl: string): Accounts {
  const byId = new Map<string, AccountEntry>()
  for (const key of Object.keys(local)) {
    if (!key.startsWith(ACCOUNT_PREFIX)) continue
    const account = accountOf(local[key])
    if (account === null || ACCOUNT_PREFIX + account.user.id !== key) continue
    const id = account.user.id
    byId.set(id, { account, profile: profileOf(local[PROFILE_PREFIX + id]), media: mediaOf(local[MEDIA_PREFIX + id]) })
  }
  const order = Array.isArray(local[ORDER_KEY]) ? (local[ORDER_KEY] as unknown[]).filter((id): id is string => typeof id === 'string' && byId.has(id)) : []

  // Version 1: the one session the first release kept. It wins over a version 2 copy only if newer.
  const v1 = sessionOf(local.session)
  if (v1 !== null) {
    const id = v1.user.id
    const known = byId.get(id)
    if (known === undefined || known.account.issued_at < v1.issued_at) {
      byId.set(id, {
        account: { ...v1, server: known?.account.server ?? serverUrl, client_id: known?.account.client_id ?? null, added_at: known?.account.added_at ?? v1.issued_at },
        profile: profileOf(local.profile) ?? known?.profile ?? null,
        media: mediaOf(local.media) ?? known?.media ?? null,
      })
      order.unshift(id)
    }
  }

  const list = [...byId.values()].sort((a, b) => a.account.added_at - b.account.added_at)
  const rest = list.map((e) => e.account.user.id).reverse()
  return { list, order: [...new Set([...order, ...rest])] }
}

/** The active account, or null when none is connected. */
export const activeEntry = (accounts: Accounts): AccountEntry | null => find(accounts, accounts.order[0])

export const find = (accounts: Accounts, id: string | undefined): AccountEntry | null =>
  accounts.list.find((e) => e.account.user.id === id) ?? null

/** Why an account cannot be used at `now` with the saved server URL, or null when it can. */
export function deadReason(account: Account, serverUrl: string, now: number): DeadReason | null {
  if (account.server !== serverUrl) return 'server'
  if (account.needs_reconnect === true) return account.reconnect?.code === 'permission_missing' ? 'permission' : 'revoked'
  return account.expires_at <= now ? 'expired' : null
}

/** The profile to show for an account: the cached `/me` answer, else the user from `/token`. */
export const profileFor = (entry: AccountEntry): Profile => entry.profile?.data ?? (entry.account.user as Profile)

/** A change to `storage.local`: keys to write and keys to remove. */
export interface Write {
  set: Record<string, unknown>
  remove: string[]
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
  const accounts = decodeAccounts(local, serverUrl)
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
