import type { Result } from '../lib/result'
import { ok } from '../lib/result'
import { readSnapshot } from '../lib/storage'
import { deriveView, type AppState } from '../lib/view'
import type { Deps } from './deps'

/** The reply every message gets: the view derived from storage at this moment. */
export async function currentState(deps: Deps): Promise<AppState> {
  const snapshot = await readSnapshot(deps.browser.storage)
  return {
    view: deriveView(snapshot, deps.now()),
    serverUrl: snapshot.serverUrl,
    redirectUri: deps.browser.identity.getRedirectURL(),
  }
}

export const replyWithState = async (deps: Deps): Promise<Result<AppState>> => ok(await currentState(deps))
