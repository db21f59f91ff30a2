import { activeEntry, deadReason, find, MEDIA_PREFIX, PROFILE_PREFIX, type Account } from '../lib/accounts'
import { createApiClient } from '../lib/api'
import { fail, ok, type ErrorInfo, type Result } from '../lib/result'
import type { StorageLike } from '../lib/storage'
import type { AppState } from '../lib/view'
import { readAccounts, updateAccount } from './accounts'
import type { Deps } from './deps'
import { currentState } from './state'

/** How many recent posts the popup's grid shows. */
export const MEDIA_LIMIT = 6

/** Server answers that mean this account's token can no longer be used until it reconnects. */
const RECONNECT_CODES = new Set(['invalid_token', 'permission_missing'])

/** Marks an account for Reconnect after `error`, if the error means that; true when it did. */
export async function markIfDead(storage: StorageLike, account: Account, error: ErrorInfo): Promise<boolean> {
  if (!RECONNECT_CODES.has(error.code)) return false
  await updateAccount(storage, account.user.id, account.access_token, (a) => ({ ...a, needs_reconnect: true, reconnect: { code: error.code, message: error.message } }))
  return true
}

export interface ProfileTarget {
  /** The account to revalidate; the active one when absent. */
  id?: string
  /**
   * Right after `/token`: the token goes to the server that issued it even if another server
   * URL was saved while the exchange ran (it always goes to `account.server`, never elsewhere).
   */
  afterConnect?: boolean
}

/**
 * Revalidates an account's stored profile with `GET /me` and `GET /me/media`, sent to the server
 * that issued its token (`account.server`) and nowhere else. An account that cannot be used now
 * (expired, marked, or of another server than the saved one) is not asked about. The cache is
 * replaced only by good answers; `invalid_token` and `permission_missing` keep it and mark that
 * account alone for Reconnect. Any other failure leaves storage alone and is returned, so the
 * popup can mention it.
 */
export async function refreshProfile(deps: Deps, target: ProfileTarget = {}): Promise<Result<AppState>> {
  const { storage } = deps.browser
  const { accounts, serverUrl } = await readAccounts(storage)
  const entry = target.id === undefined ? activeEntry(accounts) : find(accounts, target.id)
  if (entry === null) return ok(await currentState(deps))
  const { account } = entry
  const reason = deadReason(account, serverUrl, deps.now())
  if (reason !== null && !(reason === 'server' && target.afterConnect === true)) return ok(await currentState(deps))

  const api = createApiClient({ baseUrl: account.server, fetch: deps.fetch })
  const [me, media] = await Promise.all([api.me(account.access_token), api.media(account.access_token, MEDIA_LIMIT)])

  // Only write back if the account we asked about still holds the same token.
  const id = account.user.id
  const still = find((await readAccounts(storage)).accounts, id)
  if (still?.account.access_token !== account.access_token) return ok(await currentState(deps))

  let problem: ErrorInfo | null = null
  // A `/me` of another user than the account's is not its profile (stored, it would read as damaged anyway).
  if (me.ok && me.data.id === id) await storage.local.set({ [PROFILE_PREFIX + id]: { data: me.data, fetched_at: deps.now() } })
  else if (!me.ok) problem = me.error
  if (media.ok) await storage.local.set({ [MEDIA_PREFIX + id]: { data: media.data, fetched_at: deps.now() } })
  else problem ??= media.error

  if (problem !== null && (await markIfDead(storage, account, problem))) return ok(await currentState(deps))
  return problem === null ? ok(await currentState(deps)) : fail(problem.code, problem.message)
}
