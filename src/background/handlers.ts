import type { Handlers } from '../lib/messages'
import { connect, disconnect } from './connect'
import type { Deps } from './deps'
import { refreshProfile } from './profile'
import { replyWithState } from './state'

/** The worker's message handlers, one per entry of the typed message map. */
export function createHandlers(deps: Deps): Handlers {
  return {
    getState: () => replyWithState(deps),
    connect: () => connect(deps),
    disconnect: () => disconnect(deps),
    refreshProfile: () => refreshProfile(deps),
  }
}
