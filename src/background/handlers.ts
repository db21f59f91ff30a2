import type { Handlers } from '../lib/messages'
import { addAccount, cancel, connect, disconnect, disconnectAll, switchAccount } from './connect'
import type { Deps } from './deps'
import { migrateStorage } from './accounts'
import { refreshProfile } from './profile'
import { forgetFlow, joinOrStart } from './single-flight'
import { replyWithState } from './state'

/**
 * The worker's message handlers, one per entry of the typed message map. Each first brings
 * stored data to the current schema (a no-op once done), in case `runtime.onInstalled` was missed.
 */
export function createHandlers(deps: Deps): Handlers {
  const migrated = <A extends unknown[], R>(handler: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    await migrateStorage(deps.browser.storage)
    return handler(...args)
  }
  return {
    getState: migrated(() => replyWithState(deps)),
    // One flow at a time: a second Connect or Add account (another popup) joins the running one.
    connect: migrated(({ forceReauth }) => joinOrStart(deps.browser.storage, () => connect(deps, forceReauth === undefined ? {} : { forceReauth }))),
    addAccount: migrated(() => joinOrStart(deps.browser.storage, () => addAccount(deps))),
    cancel: migrated(() => {
      forgetFlow(deps.browser.storage)
      return cancel(deps)
    }),
    disconnect: migrated(({ userId }) => {
      // The popup's Disconnect (no id) also ends the attempt in progress; the options page's does not.
      if (userId === undefined) forgetFlow(deps.browser.storage)
      return disconnect(deps, userId)
    }),
    disconnectAll: migrated(() => {
      forgetFlow(deps.browser.storage)
      return disconnectAll(deps)
    }),
    switchAccount: migrated(({ userId }) => switchAccount(deps, userId)),
    refreshProfile: migrated(() => refreshProfile(deps)),
  }
}
