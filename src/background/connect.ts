import { createApiClient } from '../lib/api'
import { buildAuthorizeUrl } from '../lib/authorize-url'
import { classifyAuthFlowRejection, describeError } from '../lib/errors'
import { parseRedirect } from '../lib/redirect'
import type { ErrorInfo } from '../lib/result'
import { fail, ok, type Result } from '../lib/result'
import { originPattern, portMatchingOf } from '../lib/server-url'
import { sessionFromToken } from '../lib/session'
import { generateState } from '../lib/state'
import { activeEntry, find, MAX_ACCOUNTS, ORDER_KEY, type Account } from '../lib/accounts'
import { removeWrite, switchWrite, upsertWrite } from '../lib/account-writes'
import { items } from '../lib/storage'
import type { AppState } from '../lib/view'
import { allAccountKeys, applyWrite, readAccounts } from './accounts'
import type { Deps } from './deps'
import { refreshProfile } from './profile'
import { currentState } from './state'

export interface ConnectOptions {
  /** Adds `force_reauth=true` to the authorize URL: Instagram asks which login to use (SPEC, **Add account**). */
  forceReauth?: boolean
}

/**
 * The connect flow (SPEC "Extension behaviour"): `/config`, the authorize URL with a fresh
 * `state`, `identity.launchWebAuthFlow`, the state check, `POST /token`, save. Every step's
 * outcome goes to storage (`flow`), which is how a popup opened later learns it. Nothing lives
 * in variables between events: the pending `state` is in `storage.session`.
 *
 * The server URL is read once, at the start: `/token` and the first profile fetch go to that
 * server even if another URL is saved meanwhile, and the account records it (and `/config`'s
 * `client_id`) as the issuer its token may be sent to. The account with the same `user.id` is
 * replaced, else one is added (at most `MAX_ACCOUNTS`); it becomes the active one. A failed
 * attempt changes no account.
 */
export async function connect(deps: Deps, options: ConnectOptions = {}): Promise<Result<AppState>> {
  const { storage, identity } = deps.browser
  const serverUrl = await items.serverUrl.get(storage)
  if (serverUrl === '') return stop(deps, { code: 'not_configured', message: 'No server URL is set.' })

  const redirectUri = identity.getRedirectURL()
  await items.flow.set(storage, { phase: 'authorizing', started_at: deps.now() })
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
    if (options.forceReauth === true) {
      const withReauth = new URL(url)
      withReauth.searchParams.set('force_reauth', 'true')
      url = withReauth.toString()
    }
  } catch (error) {
    return stop(deps, { code: 'invalid_response', message: error instanceof Error ? error.message : String(error) })
  }
  await items.pendingAuth.set(storage, { state, redirect_uri: redirectUri, started_at: deps.now(), server: serverUrl })

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

  await items.flow.set(storage, { phase: 'exchanging', started_at: deps.now() })
  const token = await api.token(parsed.data.code, redirectUri)
  // Cancelled (Disconnect) or replaced by a new attempt while the server was answering.
  if ((await items.flow.get(storage)).phase !== 'exchanging') return ok(await currentState(deps))
  if (!token.ok) return stop(deps, token.error)

  const account: Account = { ...sessionFromToken(token.data, deps.now()), server: serverUrl, client_id: config.data.client_id, added_at: deps.now() }
  const write = upsertWrite((await readAccounts(storage)).accounts, account)
  if (write === 'too_many') return stop(deps, tooMany())
  await applyWrite(storage, write)
  await items.flow.set(storage, { phase: 'idle' })
  // Fill in the profile and media now, so a popup opened later has them at once; from the
  // server that issued the token, whatever is saved now.
  await refreshProfile(deps, { id: account.user.id, afterConnect: true })
  return ok(await currentState(deps))
}

const tooMany = (): ErrorInfo => ({ code: 'too_many_accounts', message: `${MAX_ACCOUNTS} accounts are connected, the most this extension keeps.` })

/**
 * **Add account**: the connect flow with `force_reauth=true`, refused at once (no window) when
 * `MAX_ACCOUNTS` are connected.
 */
export async function addAccount(deps: Deps): Promise<Result<AppState>> {
  if ((await readAccounts(deps.browser.storage)).accounts.list.length >= MAX_ACCOUNTS) return stop(deps, tooMany())
  return connect(deps, { forceReauth: true })
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

async function stop(deps: Deps, error: ErrorInfo): Promise<Result<AppState>> {
  const { storage, identity } = deps.browser
  const serverUrl = await items.serverUrl.get(storage)
  const notice = describeError(error, { serverUrl, redirectUri: identity.getRedirectURL() })
  await items.pendingAuth.remove(storage)
  await items.flow.set(storage, { phase: 'error', error, notice, at: deps.now() })
  return fail(error.code, error.message)
}

/** Stops the attempt in progress (the popup's Cancel); every account stays as it was. */
export async function cancel(deps: Deps): Promise<Result<AppState>> {
  const { storage } = deps.browser
  await Promise.all([items.pendingAuth.remove(storage), items.flow.remove(storage)])
  return ok(await currentState(deps))
}

/**
 * **Disconnect**: forgets one account: the active one, and any attempt in progress (the popup),
 * or the one `userId` names (the options page's list). The most recently active of the others
 * becomes active; without any, the popup is disconnected. Instagram has no revoke endpoint.
 */
export async function disconnect(deps: Deps, userId?: string): Promise<Result<AppState>> {
  const { storage } = deps.browser
  const { accounts } = await readAccounts(storage)
  const entry = userId === undefined ? activeEntry(accounts) : find(accounts, userId)
  if (userId === undefined) await cancel(deps)
  if (entry !== null) await applyWrite(storage, removeWrite(accounts, [entry.account.user.id]))
  return ok(await currentState(deps))
}

/** **Disconnect all**: forgets every account, damaged ones included. */
export async function disconnectAll(deps: Deps): Promise<Result<AppState>> {
  const { storage } = deps.browser
  await cancel(deps)
  await applyWrite(storage, { set: { [ORDER_KEY]: [] }, remove: await allAccountKeys(storage) })
  return ok(await currentState(deps))
}

/** Makes another account active; its stored profile shows at once, the popup then revalidates it. */
export async function switchAccount(deps: Deps, userId: string | undefined): Promise<Result<AppState>> {
  const { storage } = deps.browser
  const write = userId === undefined ? null : switchWrite((await readAccounts(storage)).accounts, userId)
  if (write === null) return fail('unknown_account', 'No connected account has that id.')
  await applyWrite(storage, write)
  return ok(await currentState(deps))
}
