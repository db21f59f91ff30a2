import type { Handlers } from '../lib/messages'
import { connect, disconnect } from './connect'
import type { Deps } from './deps'
import { refreshProfile } from './profile'
import { forgetFlow, joinOrStart } from './single-flight'
import { replyWithState } from './state'

/** The worker's message handlers, one per entry of the typed message map. */
export function createHandlers(deps: Deps): Handlers {
  return {
    getState: () => replyWithState(deps),
    connect: () => joinOrStart(deps.browser.storage, () => connect(deps)),
    disconnect: () => {
      forgetFlow(deps.browser.storage)
      return disconnect(deps)
    },
    refreshProfile: () => refreshProfile(deps),
  }
}
