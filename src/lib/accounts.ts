import type { InstagramUser, MediaItem, Profile } from './api'

/** A connection's token; `expires_at` and `issued_at` are epoch milliseconds. Stored as part of an `Account`. */
export interface Session {
  access_token: string
  token_type: string
  expires_at: number
  issued_at: number
  user: InstagramUser
  permissions: string[]
  /** Set when the server answered `invalid_token`: the profile stays, the popup offers Reconnect. */
  needs_reconnect?: boolean
}

export interface ProfileCache {
  data: Profile
  fetched_at: number
}

export interface MediaCache {
  data: MediaItem[]
  fetched_at: number
}

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
 * `migrationOf` (account-writes.ts) reads it and rewrites it as version 2. The changes live in
 * account-writes.ts, which only the worker loads: the popup only reads, within its size budget.
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

/** A plain object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isText = (v: unknown): v is string => typeof v === 'string' && v !== ''
/** A user (or `/me` profile) the popup can name: a non-empty string id and a string username. */
const isUser = (v: unknown): v is { id: string; username: string } => isObject(v) && isText(v.id) && typeof v.username === 'string'

/**
 * An account and its caches from raw stored values, or null when the account is unusable (no
 * token, expiry, server, or user with a string id and username). A damaged cache (a profile
 * without a string id and a non-empty username, or of another user than the account's) reads as none; damaged posts (a field not a string, or no
 * id) are dropped.
 */
export function entryOf(raw: unknown, profile: unknown, media: unknown): AccountEntry | null {
  if (!isObject(raw) || !isText(raw.access_token) || typeof raw.expires_at !== 'number' || !isText(raw.server)) return null
  if (!isUser(raw.user)) return null
  return {
    account: raw as unknown as Account,
    // The cached `/me` of this very user, naming it: one of another user, or with a blank username, is damaged.
    profile: isObject(profile) && isUser(profile.data) && profile.data.id === raw.user.id && isText(profile.data.username) ? (profile as unknown as ProfileCache) : null,
    // Every field of a post is a string, and it has an id (SPEC, GET /me/media).
    media: isObject(media) && Array.isArray(media.data) ? { ...(media as unknown as MediaCache), data: media.data.filter((m) => isObject(m) && isText(m.id) && Object.values(m).every((v) => typeof v === 'string')) } : null,
  }
}

/**
 * The accounts in a raw `storage.local` (everything `get(null)` returns), schema version 2.
 * Damaged values are skipped, never thrown: an account whose token record is unusable is left
 * out, a damaged cache reads as none, a damaged `accountOrder` falls back to the newest first.
 * Version 1 data is read by `migrationOf` (account-writes.ts), which the worker runs before it
 * answers any message: the popup asks it to on opening.
 */
export function decodeAccounts(local: Record<string, unknown>): Accounts {
  const byId = new Map<string, AccountEntry>()
  for (const key of Object.keys(local)) {
    const id = key.slice(ACCOUNT_PREFIX.length)
    const entry = key.startsWith(ACCOUNT_PREFIX) ? entryOf(local[key], local[PROFILE_PREFIX + id], local[MEDIA_PREFIX + id]) : null
    if (entry?.account.user.id === id) byId.set(id, entry)
  }
  const stored = local[ORDER_KEY]
  const order = Array.isArray(stored) ? stored.filter((id): id is string => byId.has(id)) : []
  const list = [...byId.values()].sort((a, b) => (a.account.added_at || 0) - (b.account.added_at || 0))
  return { list, order: [...new Set([...order, ...list.map((e) => e.account.user.id).reverse()])] }
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
