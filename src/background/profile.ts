import { createApiClient } from '../lib/api'
import { fail, ok, type ErrorInfo, type Result } from '../lib/result'
import { items } from '../lib/storage'
import type { AppState } from '../lib/view'
import type { Deps } from './deps'
import { currentState } from './state'

/** How many recent posts the popup's grid shows. */
export const MEDIA_LIMIT = 6

/**
 * Revalidates the stored profile with `GET /me` and `GET /me/media`. The cache is replaced only
 * by good answers; `invalid_token` keeps it and marks the session `needs_reconnect`. Any other
 * failure leaves storage alone and is returned, so the popup can mention it.
 */
export async function refreshProfile(deps: Deps): Promise<Result<AppState>> {
  const { storage } = deps.browser
  const [serverUrl, session] = await Promise.all([items.serverUrl.get(storage), items.session.get(storage)])
  if (session === null || session.needs_reconnect === true || session.expires_at <= deps.now()) {
    return ok(await currentState(deps))
  }
  const api = createApiClient({ baseUrl: serverUrl, fetch: deps.fetch })
  const [me, media] = await Promise.all([api.me(session.access_token), api.media(session.access_token, MEDIA_LIMIT)])

  // Only write back if the session we asked about is still the stored one.
  const still = await items.session.get(storage)
  if (still?.access_token !== session.access_token) return ok(await currentState(deps))

  let problem: ErrorInfo | null = null
  if (me.ok) await items.profile.set(storage, { data: me.data, fetched_at: deps.now() })
  else problem = me.error
  if (media.ok) await items.media.set(storage, { data: media.data, fetched_at: deps.now() })
  else problem ??= media.error

  if (problem?.code === 'invalid_token') {
    await items.session.set(storage, { ...session, needs_reconnect: true })
    return ok(await currentState(deps))
  }
  return problem === null ? ok(await currentState(deps)) : fail(problem.code, problem.message)
}
