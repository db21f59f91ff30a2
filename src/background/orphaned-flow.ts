import { items } from '../lib/storage'
import { stop } from './connect'
import type { Deps } from './deps'

/**
 * Ends a flow that a stopped worker left behind (worker-instance.ts): an `authorizing` or
 * `exchanging` flow not run by this instance becomes the `interrupted` error, which the popup
 * shows at once ("The sign-in was interrupted", try again). The code, if one had arrived, is not
 * sent again: it is never stored, and Instagram's codes work once. Resolves to whether a flow
 * was ended. The worker runs this before it handles any message (index.ts), so it can never end
 * a flow this instance has just started.
 */
export async function endOrphanedFlow(deps: Deps): Promise<boolean> {
  const flow = await items.flow.get(deps.browser.storage)
  if (flow.phase !== 'authorizing' && flow.phase !== 'exchanging') return false
  if (flow.worker !== undefined && flow.worker === deps.instance) return false
  const when = flow.phase === 'authorizing' ? 'while the Instagram window was open' : 'while the server was exchanging the code'
  await stop(deps, { code: 'interrupted', message: `The background worker was stopped ${when}.` })
  return true
}
