import type { InstagramUser, MediaItem, Profile } from './api'
import type { UserMessage } from './errors'
import type { ErrorInfo } from './result'

/** The part of `browser.storage` these modules use, so tests can pass a fake. */
export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>
  set(items: Record<string, unknown>): Promise<void>
  remove(keys: string | string[]): Promise<void>
}

export interface StorageLike {
  local: StorageAreaLike
  session: StorageAreaLike
}

export type AreaName = 'local' | 'session'

/** The stored connection; `expires_at` and `issued_at` are epoch milliseconds. */
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

/** The authorization attempt in progress, kept in `storage.session` (memory only, never on disk). */
export interface PendingAuth {
  state: string
  redirect_uri: string
  started_at: number
}

/**
 * Where the connect flow stands; the popup renders it and learns outcomes from
 * `storage.onChanged`. An error carries its user message (errors.ts), worked out by the worker
 * when it happened, so the popup needs no copy of the message table.
 */
export type FlowStatus =
  | { phase: 'idle' }
  | {
      phase: 'authorizing' | 'exchanging'
      started_at: number
      /**
       * The worker instance running the flow (worker-instance.ts). A worker that starts and finds
       * an active flow of another instance knows the browser stopped that one: no instance
       * survives its own restart, and the flow's promises died with it.
       */
      worker?: string
    }
  | { phase: 'error'; error: ErrorInfo; notice: UserMessage; at: number }

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787'

export interface Item<T> {
  readonly area: AreaName
  readonly key: string
  readonly fallback: T
  get(storage: StorageLike): Promise<T>
  set(storage: StorageLike, value: T): Promise<void>
  remove(storage: StorageLike): Promise<void>
  /** The value from a raw stored value (or `undefined`), falling back to the default. */
  decode(raw: unknown): T
}

/** A typed storage key with a default, in the spirit of fregante/webext-storage. */
export function defineItem<T>(area: AreaName, key: string, fallback: T, valid: (raw: unknown) => boolean): Item<T> {
  const decode = (raw: unknown): T => (raw !== undefined && valid(raw) ? (raw as T) : fallback)
  return {
    area,
    key,
    fallback,
    decode,
    async get(storage) {
      const stored = await storage[area].get(key)
      return decode(stored[key])
    },
    async set(storage, value) {
      await storage[area].set({ [key]: value })
    },
    async remove(storage) {
      await storage[area].remove(key)
    },
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null
const nullOr = (check: (v: Record<string, unknown>) => boolean) => (v: unknown) => v === null || (isObject(v) && check(v))
const isString = (v: unknown): v is string => typeof v === 'string'
const stringOrAbsent = (v: unknown) => v === undefined || isString(v)
// Damaged data (wrong types, truncated objects) reads as absent rather than reaching the popup,
// which renders what it reads: a user without a username, say, would leave it blank.
const isUser = (v: unknown) => isObject(v) && isString(v.id) && isString(v.username)
const isMediaItem = (v: unknown) =>
  isObject(v) && isString(v.id) && isString(v.media_type) && ['media_url', 'permalink', 'thumbnail_url', 'caption', 'timestamp'].every((k) => stringOrAbsent(v[k]))
const isNotice = (v: unknown) => isObject(v) && isString(v.title) && isString(v.detail) && Array.isArray(v.next) && v.next.every((step) => ['retry', 'reconnect', 'options'].includes(step))
const isFlow = (v: unknown) =>
  isObject(v) &&
  (v.phase === 'idle' ||
    ((v.phase === 'authorizing' || v.phase === 'exchanging') && typeof v.started_at === 'number' && stringOrAbsent(v.worker)) ||
    (v.phase === 'error' && isObject(v.error) && isString(v.error.code) && isString(v.error.message) && isNotice(v.notice)))

export const items = {
  serverUrl: defineItem<string>('local', 'serverUrl', DEFAULT_SERVER_URL, (v) => typeof v === 'string'),
  session: defineItem<Session | null>(
    'local',
    'session',
    null,
    nullOr((v) => typeof v.access_token === 'string' && typeof v.expires_at === 'number' && isUser(v.user)),
  ),
  profile: defineItem<ProfileCache | null>('local', 'profile', null, nullOr((v) => isUser(v.data))),
  media: defineItem<MediaCache | null>('local', 'media', null, nullOr((v) => Array.isArray(v.data) && v.data.every(isMediaItem))),
  pendingAuth: defineItem<PendingAuth | null>('session', 'pendingAuth', null, nullOr((v) => typeof v.state === 'string')),
  flow: defineItem<FlowStatus>('session', 'flow', { phase: 'idle' }, isFlow),
} as const

export type Items = typeof items
export type Snapshot = { [K in keyof Items]: Items[K]['fallback'] }

/** Every item at once: one `get` per area. */
export async function readSnapshot(storage: StorageLike): Promise<Snapshot> {
  const [local, session] = await Promise.all([storage.local.get(null), storage.session.get(null)])
  const raw = { local, session }
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(items)) out[name] = item.decode(raw[item.area][item.key])
  return out as Snapshot
}

/** A snapshot updated with a `storage.onChanged` event's changes. */
export function applyChanges(
  snapshot: Snapshot,
  changes: Record<string, { newValue?: unknown }>,
  area: string,
): Snapshot {
  const next: Record<string, unknown> = { ...snapshot }
  let changed = false
  for (const [name, item] of Object.entries(items)) {
    const change = changes[item.key]
    if (item.area !== area || change === undefined) continue
    next[name] = item.decode(change.newValue)
    changed = true
  }
  return changed ? (next as Snapshot) : snapshot
}
