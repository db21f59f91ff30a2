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
  return interrupt(deps, flow.phase, 'stopped')
}

/**
 * Ends this instance's own flow as `interrupted` when the browser is about to unload it
 * (`runtime.onSuspend`: Firefox fires it before it suspends an event page, and waits for the
 * listener's promise). The flow's promises die with the page, so ending it now lets every open
 * popup show the error at once, from storage, instead of "Connecting…" until a new instance
 * finds the orphan. Resolves to whether a flow was ended; another instance's flow is left to
 * `endOrphanedFlow`.
 */
export async function endFlowOnSuspend(deps: Deps): Promise<boolean> {
  const flow = await items.flow.get(deps.browser.storage)
  if (flow.phase !== 'authorizing' && flow.phase !== 'exchanging') return false
  if (flow.worker === undefined || flow.worker !== deps.instance) return false
  return interrupt(deps, flow.phase, 'suspended')
}

async function interrupt(deps: Deps, phase: 'authorizing' | 'exchanging', how: 'stopped' | 'suspended'): Promise<true> {
  const when = phase === 'authorizing' ? 'while the Instagram window was open' : 'while the server was exchanging the code'
  await stop(deps, { code: 'interrupted', message: `The background worker was ${how} ${when}.` })
  return true
}
