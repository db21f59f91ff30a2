import { createApiClient } from '../lib/api'
import { REFRESH_ALARM, REFRESH_PERIOD_MINUTES, sessionFromRefresh, shouldRefresh } from '../lib/session'
import { items } from '../lib/storage'
import type { Deps } from './deps'

export type RefreshOutcome = 'refreshed' | 'not_due' | 'needs_reconnect' | 'failed'

/**
 * The daily alarm: refreshes a long-lived token that is over 24 h old and expires within
 * 7 days (`POST /refresh`). `invalid_token` marks the session for Reconnect; other failures
 * are retried at the next alarm.
 */
export async function refreshTokenIfDue(deps: Deps): Promise<RefreshOutcome> {
  const { storage } = deps.browser
  const [serverUrl, session] = await Promise.all([items.serverUrl.get(storage), items.session.get(storage)])
  if (session === null || !shouldRefresh(session, deps.now())) return 'not_due'
  const result = await createApiClient({ baseUrl: serverUrl, fetch: deps.fetch }).refresh(session.access_token)
  const still = await items.session.get(storage)
  if (still?.access_token !== session.access_token) return 'not_due'
  if (result.ok) {
    await items.session.set(storage, sessionFromRefresh(session, result.data, deps.now()))
    return 'refreshed'
  }
  if (result.error.code === 'invalid_token') {
    await items.session.set(storage, { ...session, needs_reconnect: true })
    return 'needs_reconnect'
  }
  return 'failed'
}

/** Creates the daily `refresh-token` alarm unless it exists (`replace` on install and update). */
export async function ensureRefreshAlarm(deps: Pick<Deps, 'browser'>, replace = false): Promise<void> {
  const { alarms } = deps.browser
  if (!replace && (await alarms.get(REFRESH_ALARM)) !== undefined) return
  await alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_PERIOD_MINUTES })
}
