import { createApiClient } from '../lib/api'
import { buildAuthorizeUrl } from '../lib/authorize-url'
import { classifyAuthFlowRejection, describeError } from '../lib/errors'
import { parseRedirect } from '../lib/redirect'
import type { ErrorInfo } from '../lib/result'
import { fail, ok, type Result } from '../lib/result'
import { originPattern, portMatchingOf } from '../lib/server-url'
import { sessionFromToken } from '../lib/session'
import { generateState } from '../lib/state'
import { items } from '../lib/storage'
import type { AppState } from '../lib/view'
import type { Deps } from './deps'
import { refreshProfile } from './profile'
import { currentState } from './state'

/**
 * The connect flow (SPEC "Extension behaviour"): `/config`, the authorize URL with a fresh
 * `state`, `identity.launchWebAuthFlow`, the state check, `POST /token`, save. Every step's
 * outcome goes to storage (`flow`), which is how a popup opened later learns it. Nothing lives
 * in variables between events: the pending `state` is in `storage.session`.
 */
export async function connect(deps: Deps): Promise<Result<AppState>> {
  const { storage, identity } = deps.browser
  const serverUrl = await items.serverUrl.get(storage)
  if (serverUrl === '') return stop(deps, { code: 'not_configured', message: 'No server URL is set.' })

  const redirectUri = identity.getRedirectURL()
  await items.flow.set(storage, { phase: 'authorizing', started_at: deps.now(), worker: deps.instance })
  // A new attempt supersedes any earlier one: its state is overwritten below.
  await items.pendingAuth.remove(storage)

  if (!(await hasHostPermission(deps, serverUrl))) {
    return stop(deps, { code: 'permission_required', message: `No host permission for ${serverUrl}.` })
  }
  const api = createApiClient({ baseUrl: serverUrl, fetch: deps.fetch })
  const config = await api.config()
  if (!config.ok) return stop(deps, config.error)
  if (config.data.client_id === '') return stop(deps, { code: 'not_configured', message: 'The server has no Instagram client id.' })
  // Fail before the consent page when the server would refuse this redirect URL anyway.
  if (!config.data.redirect_uris.includes(redirectUri)) {
    return stop(deps, { code: 'redirect_uri_not_allowed', message: `${redirectUri} is not in the server's ALLOWED_REDIRECT_URIS.` })
  }

  const state = generateState(deps.random)
  let url: string
  try {
    url = buildAuthorizeUrl({
      authorizeUrl: config.data.authorize_url,
      clientId: config.data.client_id,
      redirectUri,
      scope: config.data.scope,
      state,
    })
  } catch (error) {
    return stop(deps, { code: 'invalid_response', message: error instanceof Error ? error.message : String(error) })
  }
  await items.pendingAuth.set(storage, { state, redirect_uri: redirectUri, started_at: deps.now() })

  let responseUrl: string
  try {
    responseUrl = await identity.launchWebAuthFlow({ url, interactive: true })
  } catch (error) {
    if (await superseded(deps, state)) return ok(await currentState(deps))
    return stop(deps, classifyAuthFlowRejection(error))
  }

  // The expected state is read back from storage, not from this function's variables: if the
  // attempt was cancelled or replaced meanwhile, this answer belongs to nobody.
  const pending = await items.pendingAuth.get(storage)
  if (pending === null || pending.state !== state) return ok(await currentState(deps))
  const parsed = parseRedirect(responseUrl, { redirectUri: pending.redirect_uri, state: pending.state })
  await items.pendingAuth.remove(storage)
  if (!parsed.ok) return stop(deps, parsed.error)

  // The code was issued for the server this flow started with; never send it to another one.
  if ((await items.serverUrl.get(storage)) !== serverUrl) return stop(deps, serverChanged(serverUrl))

  await items.flow.set(storage, { phase: 'exchanging', started_at: deps.now(), worker: deps.instance })
  const token = await api.token(parsed.data.code, redirectUri)
  // Cancelled (Disconnect) or replaced by a new attempt while the server was answering.
  if ((await items.flow.get(storage)).phase !== 'exchanging') return ok(await currentState(deps))
  if (!token.ok) return stop(deps, token.error)
  // A token from the old server is not stored under the new one (its calls would go there).
  if ((await items.serverUrl.get(storage)) !== serverUrl) return stop(deps, serverChanged(serverUrl))

  const previous = await items.session.get(storage)
  const session = sessionFromToken(token.data, deps.now())
  await items.session.set(storage, session)
  if (previous?.user.id !== session.user.id) await Promise.all([items.profile.remove(storage), items.media.remove(storage)])
  await items.flow.set(storage, { phase: 'idle' })
  // Fill in the profile and media now, so a popup opened later has them at once.
  await refreshProfile(deps)
  return ok(await currentState(deps))
}

async function hasHostPermission(deps: Deps, serverUrl: string): Promise<boolean> {
  const { permissions, runtime } = deps.browser
  const matching = portMatchingOf(runtime?.getURL('') ?? '')
  try {
    return await permissions.contains({ origins: [originPattern(serverUrl, matching)] })
  } catch {
    return false
  }
}

async function superseded(deps: Deps, state: string): Promise<boolean> {
  const pending = await items.pendingAuth.get(deps.browser.storage)
  return pending === null || pending.state !== state
}

const serverChanged = (serverUrl: string): ErrorInfo => ({
  code: 'server_changed',
  message: `The server URL changed from ${serverUrl} during the sign-in.`,
})

/**
 * Ends the flow with `error`: its user message (errors.ts) goes to `flow`, where every open
 * popup reads it, and the pending `state` is dropped.
 */
export async function stop(deps: Deps, error: ErrorInfo): Promise<Result<AppState>> {
  const { storage, identity } = deps.browser
  const serverUrl = await items.serverUrl.get(storage)
  const notice = describeError(error, { serverUrl, redirectUri: identity.getRedirectURL() })
  await items.pendingAuth.remove(storage)
  await items.flow.set(storage, { phase: 'error', error, notice, at: deps.now() })
  return fail(error.code, error.message)
}

/** Forgets the connection (and any attempt in progress). Instagram has no revoke endpoint. */
export async function disconnect(deps: Deps): Promise<Result<AppState>> {
  const { storage } = deps.browser
  await Promise.all([
    items.session.remove(storage),
    items.profile.remove(storage),
    items.media.remove(storage),
    items.pendingAuth.remove(storage),
    items.flow.remove(storage),
  ])
  return ok(await currentState(deps))
}
