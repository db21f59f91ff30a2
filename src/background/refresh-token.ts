import { deadReason } from '../lib/accounts'
import { createApiClient } from '../lib/api'
import { REFRESH_ALARM, REFRESH_PERIOD_MINUTES, sessionFromRefresh, shouldRefresh } from '../lib/session'
import { readAccounts, updateAccount } from './accounts'
import type { Deps } from './deps'
import { markIfDead } from './profile'

export type RefreshOutcome = 'refreshed' | 'not_due' | 'needs_reconnect' | 'failed'

/**
 * The daily alarm: refreshes every account's long-lived token that is over 24 h old and expires
 * within 7 days (`POST /refresh` to the server that issued it). One account at a time, and one
 * failure does not stop the others: `invalid_token` or `permission_missing` marks that account
 * alone for Reconnect; other failures are retried at the next alarm. Accounts of another server
 * than the saved one are left alone (they show Reconnect). Returns each account's outcome, by
 * `user.id`.
 */
export async function refreshTokensIfDue(deps: Deps): Promise<Record<string, RefreshOutcome>> {
  const { storage } = deps.browser
  const { accounts, serverUrl } = await readAccounts(storage)
  const outcomes: Record<string, RefreshOutcome> = {}
  for (const { account } of accounts.list) {
    const id = account.user.id
    if (deadReason(account, serverUrl, deps.now()) !== null || !shouldRefresh(account, deps.now())) {
      outcomes[id] = 'not_due'
      continue
    }
    try {
      const result = await createApiClient({ baseUrl: account.server, fetch: deps.fetch }).refresh(account.access_token)
      if (result.ok) {
        const saved = await updateAccount(storage, id, account.access_token, (a) => ({ ...a, ...sessionFromRefresh(a, result.data, deps.now()) }))
        outcomes[id] = saved ? 'refreshed' : 'not_due'
      } else {
        outcomes[id] = (await markIfDead(storage, account, result.error)) ? 'needs_reconnect' : 'failed'
      }
    } catch {
      outcomes[id] = 'failed'
    }
  }
  return outcomes
}

/** Creates the daily `refresh-token` alarm unless it exists (`replace` on install and update). */
export async function ensureRefreshAlarm(deps: Pick<Deps, 'browser'>, replace = false): Promise<void> {
  const { alarms } = deps.browser
  if (!replace && (await alarms.get(REFRESH_ALARM)) !== undefined) return
  await alarms.create(REFRESH_ALARM, { periodInMinutes: REFRESH_PERIOD_MINUTES })
}
