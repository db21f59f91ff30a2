import type { ErrorInfo } from './result'
import { plural, t, type MessageId } from './i18n'
import type { NextStep, UserMessage } from './user-message'
import { workerUnavailable } from './worker-unavailable'

export type { NextStep, UserMessage } from './user-message'

/** Codes the extension itself produces; the server's codes (SPEC "Server HTTP API") pass through. */
export type ErrorCode =
  | 'cancelled'
  | 'window_closed'
  | 'auth_window_open'
  | 'auth_page_failed'
  | 'auth_failed'
  | 'state_mismatch'
  | 'invalid_redirect'
  | 'server_unreachable'
  | 'server_timeout'
  | 'server_redirect'
  | 'invalid_response'
  | 'permission_required'
  | 'not_configured'
  | 'worker_unavailable'
  | 'interrupted'
  | 'server_changed'

export interface MessageContext {
  serverUrl: string
  redirectUri: string
}

type Entry = (ctx: MessageContext, error: ErrorInfo) => UserMessage

/** The codes whose words are `error_<code>_title` and `error_<code>_detail` in `_locales`. */
type Worded = MessageId extends infer Id ? (Id extends `error_${infer Code}_title` ? Code : never) : never

/** What the user reads for `code`: its title, and its detail with `substitutions` filled in. */
const words = (code: Worded, next: NextStep[], ...substitutions: string[]): UserMessage => ({
  title: t(`error_${code}_title`),
  detail: t(`error_${code}_detail`, ...substitutions),
  next,
})

const instagramUnavailable: Entry = () => words('instagram_unavailable', ['retry'])

/** The one table from error code to what the user reads and can do (words in `_locales`). */
const TABLE: Record<string, Entry> = {
  cancelled: () => words('cancelled', ['retry']),
  window_closed: () => words('window_closed', ['retry']),
  auth_window_open: () => words('auth_window_open', ['retry']),
  auth_page_failed: (ctx) => words('auth_page_failed', ['retry'], ctx.serverUrl),
  auth_failed: (_ctx, error) => words('auth_failed', ['retry'], error.message),
  // RFC 9700 §4.7: the code was not sent to the server. A superseded attempt's window is dropped
  // silently (connect.ts), so a mismatch means the answer was forged, or something between the
  // user and Instagram drops or rewrites `state`.
  state_mismatch: () => words('state_mismatch', ['retry']),
  invalid_redirect: () => words('invalid_redirect', ['retry']),
  server_unreachable: (ctx) => words('server_unreachable', ['retry', 'options'], ctx.serverUrl),
  server_timeout: (ctx) => words('server_timeout', ['retry', 'options'], ctx.serverUrl),
  server_redirect: (ctx) => words('server_redirect', ['options', 'retry'], ctx.serverUrl),
  invalid_response: (ctx) => words('invalid_response', ['options', 'retry'], ctx.serverUrl),
  permission_required: (ctx) => words('permission_required', ['options'], ctx.serverUrl),
  not_configured: () => words('not_configured', ['options']),
  redirect_uri_not_allowed: () => words('redirect_uri_not_allowed', ['retry']),
  invalid_grant: () => words('invalid_grant', ['retry']),
  invalid_token: () => words('invalid_token', ['reconnect']),
  upstream_error: instagramUnavailable,
  upstream_timeout: instagramUnavailable,
  // SPEC "Extension behaviour": reconnect and allow it, naming the permission when the server does.
  permission_missing: (_ctx, error) => {
    const permission = permissionIn(error.message)
    const message = words('permission_missing', ['reconnect'])
    return permission === undefined ? message : { ...message, detail: t('error_permission_named_detail', permission) }
  },
  // SPEC "Extension behaviour": how long to wait, from Retry-After.
  instagram_rate_limited: (_ctx, error) => words('instagram_rate_limited', ['retry'], waitText(error.retryAfter)),
  server_busy: () => words('server_busy', ['retry']),
  shutting_down: () => words('shutting_down', ['retry']),
  rate_limited: () => words('rate_limited', ['retry']),
  host_not_allowed: (ctx) => words('host_not_allowed', ['options'], ctx.serverUrl),
  origin_not_allowed: () => words('origin_not_allowed', ['retry']),
  worker_unavailable: () => workerUnavailable(),
  too_many_accounts: () => words('too_many_accounts', ['options']),
  interrupted: () => words('interrupted', ['retry']),
  server_changed: (ctx) => words('server_changed', ['retry'], ctx.serverUrl),
}

/** A permission name in the server's description, e.g. `instagram_business_basic`. */
function permissionIn(text: string): string | undefined {
  return /\b(instagram_[a-z_]+|user_profile|user_media)\b/.exec(text)?.[1]
}

/** `Retry-After` seconds as a person reads a wait: whole minutes, at least one; a minute when unknown. */
export function waitText(seconds: number | undefined): string {
  const minutes = seconds === undefined || !(seconds > 0) ? 1 : Math.ceil(seconds / 60)
  return t(plural('wait_minutes', minutes), minutes)
}

const fallback: Entry = (_ctx, error) => words('unknown', ['retry'], error.message)

/** What to tell the user about an error, and what they can do next. */
export function describeError(error: ErrorInfo, ctx: MessageContext): UserMessage {
  // Own properties only: a server's "constructor" or "__proto__" is an unknown code, not Object's.
  const message = (Object.hasOwn(TABLE, error.code) ? TABLE[error.code]! : fallback)(ctx, error)
  return error.code === 'redirect_uri_not_allowed' ? { ...message, copy: ctx.redirectUri } : message
}

/**
 * Turns a `launchWebAuthFlow` rejection into an error code. Chromium rejects with "The user did
 * not approve access." when the window is closed (Firefox: "User cancelled or denied access."),
 * with "Authorization page could not be loaded." when the page fails to load, and with "Only one
 * web auth flow is allowed at a time." while another flow's window is open.
 */
export function classifyAuthFlowRejection(reason: unknown): ErrorInfo {
  const message = reason instanceof Error ? reason.message : String(reason)
  if (/did not approve access|cancelled or denied access|canceled or denied access/i.test(message)) {
    return { code: 'window_closed', message }
  }
  if (/could not be loaded/i.test(message)) return { code: 'auth_page_failed', message }
  // Chromium: "Only one web auth flow is allowed at a time." — the browser's refusal, not
  // Instagram's: a window from an earlier flow (one whose worker was stopped) is still open.
  if (/only one web auth flow/i.test(message)) return { code: 'auth_window_open', message }
  return { code: 'auth_failed', message }
}
