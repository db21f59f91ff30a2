import type { Handlers } from '../lib/messages'
import { addAccount, cancel, connect, disconnect, disconnectAll, switchAccount } from './connect'
import type { Deps } from './deps'
import { migrateStorage } from './accounts'
import { refreshProfile } from './profile'
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
    connect: migrated(({ forceReauth }) => connect(deps, forceReauth === undefined ? {} : { forceReauth })),
    addAccount: migrated(() => addAccount(deps)),
    cancel: migrated(() => cancel(deps)),
    disconnect: migrated(({ userId }) => disconnect(deps, userId)),
    disconnectAll: migrated(() => disconnectAll(deps)),
    switchAccount: migrated(({ userId }) => switchAccount(deps, userId)),
    refreshProfile: migrated(() => refreshProfile(deps)),
  }
}
