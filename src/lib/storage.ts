import type { InstagramUser, MediaItem, Profile } from './api'
import type { UserMessage } from './errors'
import { isUserMessage } from './notice'
import { isErrorInfo, type ErrorInfo } from './result'
import { decodeAccounts, isObject, type Accounts } from './accounts'

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

export type { MediaCache, ProfileCache, Session } from './accounts'

/** The authorization attempt in progress, kept in `storage.session` (memory only, never on disk). */
export interface PendingAuth {
  state: string
  redirect_uri: string
  started_at: number
  /** The server URL the attempt runs against: `/token` and the first profile fetch go there. */
  server?: string
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

const nullOr = (check: (v: Record<string, unknown>) => boolean) => (v: unknown) => v === null || (isObject(v) && check(v))
export const items = {
  serverUrl: defineItem<string>('local', 'serverUrl', DEFAULT_SERVER_URL, (v) => typeof v === 'string'),
  pendingAuth: defineItem<PendingAuth | null>('session', 'pendingAuth', null, nullOr((v) => typeof v.state === 'string')),
  // A flow in an unknown phase, without its start or an error without its whole message is damaged: idle.
  flow: defineItem<FlowStatus>('session', 'flow', { phase: 'idle' }, (v) =>
    isObject(v) &&
    (v.phase === 'error'
      ? isErrorInfo(v.error) && isUserMessage(v.notice)
      : v.phase === 'idle' || ((v.phase === 'authorizing' || v.phase === 'exchanging') && typeof v.started_at === 'number' && typeof (v.worker ?? '') === 'string')),
  ),
} as const

export type Items = typeof items
export type Snapshot = { [K in keyof Items]: Items[K]['fallback'] } & { accounts: Accounts }

/** Every item at once, and the accounts (accounts.ts): one `get` per area. */
export async function readSnapshot(storage: StorageLike): Promise<Snapshot> {
  const [local, session] = await Promise.all([storage.local.get(null), storage.session.get(null)])
  const raw = { local, session }
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(items)) out[name] = item.decode(raw[item.area][item.key])
  return { ...out, accounts: decodeAccounts(local) } as Snapshot
}
