import type { ErrorInfo } from './result'
import type { UserMessage } from './user-message'
import { WORKER_UNAVAILABLE } from './worker-unavailable'

export type { NextStep, UserMessage } from './user-message'

/** Codes the extension itself produces; the server's codes (SPEC "Server HTTP API") pass through. */
export type ErrorCode =
  | 'cancelled'
  | 'window_closed'
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

export interface MessageContext {
  serverUrl: string
  redirectUri: string
}

type Entry = (ctx: MessageContext, error: ErrorInfo) => UserMessage

const instagramUnavailable: Entry = () => ({
  title: 'Instagram is unavailable',
  detail: 'The server could not get an answer from Instagram. This is usually temporary: wait a moment, then retry.',
  next: ['retry'],
})

/** The one table from error code to what the user reads and can do. */
const TABLE: Record<string, Entry> = {
  cancelled: () => ({
    title: 'Connection cancelled',
    detail: 'You chose Cancel on the Instagram page, so nothing was connected. Connect again whenever you are ready.',
    next: ['retry'],
  }),
  window_closed: () => ({
    title: 'The Instagram window was closed',
    detail: 'The authorization window closed before you finished. Try again and click Authorize in the Instagram window.',
    next: ['retry'],
  }),
  auth_page_failed: (ctx) => ({
    title: 'The Instagram page could not be loaded',
    detail: `Instagram (or the emulator) did not load. Check that it is reachable and that the server at ${ctx.serverUrl} has the right \`IG_CLIENT_ID\` and \`IG_AUTHORIZE_URL\`, then try again.`,
    next: ['retry'],
  }),
  auth_failed: (_ctx, error) => ({
    title: 'Instagram refused the request',
    detail: `Instagram answered: ${error.message}. Check the Instagram app settings on the server, then try again.`,
    next: ['retry'],
  }),
  // RFC 9700 §4.7: the code was not sent to the server. A superseded attempt's window is dropped
  // silently (connect.ts), so a mismatch means the answer was forged, or something between the
  // user and Instagram drops or rewrites `state`.
  state_mismatch: () => ({
    title: 'This sign-in could not be verified',
    detail: 'Instagram’s answer did not carry this sign-in’s security check, so the extension ignored it and connected nothing. Try again; if it happens every time, check that the server’s `IG_AUTHORIZE_URL` points at Instagram.',
    next: ['retry'],
  }),
  invalid_redirect: () => ({
    title: 'Instagram’s answer could not be used',
    detail: 'The authorization window came back to an unexpected address or without a sign-in code, so the extension connected nothing. Try again.',
    next: ['retry'],
  }),
  server_unreachable: (ctx) => ({
    title: 'Can’t reach the server',
    detail: `Nothing answered at ${ctx.serverUrl}. Start the server with \`npm start\` (or \`npm run server\`), or change its URL in Options, then try again.`,
    next: ['retry', 'options'],
  }),
  server_timeout: (ctx) => ({
    title: 'The server is not answering',
    detail: `${ctx.serverUrl} took too long to answer. Check that it is running (\`npm start\` or \`npm run server\`), then try again.`,
    next: ['retry', 'options'],
  }),
  server_redirect: (ctx) => ({
    title: 'The server answered with a redirect',
    detail: `${ctx.serverUrl} answered with a redirect to another address. The extension never follows one, because it would send your sign-in code or token there. Put the server’s own URL in Options, then try again.`,
    next: ['options', 'retry'],
  }),
  invalid_response: (ctx) => ({
    title: 'Unexpected answer from the server',
    detail: `${ctx.serverUrl} did not answer like an Instagram Connect server. Check the URL in Options, then try again.`,
    next: ['options', 'retry'],
  }),
  permission_required: (ctx) => ({
    title: 'Permission needed',
    detail: `The extension is not allowed to reach ${ctx.serverUrl} yet. Open Options and save the server URL to grant access.`,
    next: ['options'],
  }),
  not_configured: () => ({
    title: 'Set up the server first',
    detail: 'Tell the extension where the Instagram Connect server runs.',
    next: ['options'],
  }),
  redirect_uri_not_allowed: () => ({
    title: 'This extension’s redirect URL is not allowed',
    detail: 'Add this exact URL to `ALLOWED_REDIRECT_URIS` on the server and to the Instagram app’s valid OAuth redirect URIs, restart the server, then try again.',
    next: ['retry'],
  }),
  invalid_grant: () => ({
    title: 'Instagram rejected the sign-in code',
    detail: 'The code expired or was already used. Try again to get a fresh one.',
    next: ['retry'],
  }),
  invalid_token: () => ({
    title: 'Your Instagram session has ended',
    detail: 'The access token expired or was revoked. Reconnect to keep seeing your profile.',
    next: ['reconnect'],
  }),
  upstream_error: instagramUnavailable,
  upstream_timeout: instagramUnavailable,
  // SPEC "Extension behaviour": reconnect and allow it, naming the permission when the server does.
  permission_missing: (_ctx, error) => {
    const permission = permissionIn(error.message)
    return {
      title: 'Instagram needs a permission',
      detail:
        permission === undefined
          ? 'Instagram says a permission this extension needs was not granted or was removed. Reconnect and allow every permission Instagram asks for.'
          : `Instagram says the permission \`${permission}\` was not granted or was removed. Reconnect and allow it.`,
      next: ['reconnect'],
    }
  },
  // SPEC "Extension behaviour": how long to wait, from Retry-After.
  instagram_rate_limited: (_ctx, error) => ({
    title: 'Instagram is busy',
    detail: `Instagram is limiting how often this app can call it right now. Wait ${waitText(error.retryAfter)}, then try again.`,
    next: ['retry'],
  }),
  server_busy: () => ({
    title: 'The server is busy',
    detail: 'The server is making as many Instagram calls as it allows at once. Wait a moment, then try again.',
    next: ['retry'],
  }),
  rate_limited: () => ({
    title: 'Too many attempts',
    detail: 'The server limits how often you can sign in. Wait a minute, then try again.',
    next: ['retry'],
  }),
  host_not_allowed: (ctx) => ({
    title: 'The server refused this address',
    detail: `${ctx.serverUrl} only answers on its \`PUBLIC_URL\` or a loopback address. Use that URL in Options.`,
    next: ['options'],
  }),
  origin_not_allowed: () => ({
    title: 'The server refused this request',
    detail: 'The server does not accept requests from this page. Check `ALLOWED_ORIGINS` on the server.',
    next: ['retry'],
  }),
  worker_unavailable: () => WORKER_UNAVAILABLE,
  too_many_accounts: () => ({
    title: 'Too many accounts',
    detail: 'The extension keeps up to 10 Instagram accounts. Remove one first (Disconnect it in the popup or in Options), then add the new one.',
    next: ['options'],
  }),
}

/** A permission name in the server's description, e.g. `instagram_business_basic`. */
function permissionIn(text: string): string | undefined {
  return /\b(instagram_[a-z_]+|user_profile|user_media)\b/.exec(text)?.[1]
}

/** `Retry-After` seconds as a person reads a wait: whole minutes, at least one; a minute when unknown. */
export function waitText(seconds: number | undefined): string {
  const minutes = seconds === undefined || !(seconds > 0) ? 1 : Math.ceil(seconds / 60)
  return minutes === 1 ? 'about a minute' : `about ${minutes} minutes`
}

const fallback: Entry = (_ctx, error) => ({
  title: 'Something went wrong',
  detail: `The server reported “${error.message}”. Try again; if it keeps happening, check the server’s log.`,
  next: ['retry'],
})

/** What to tell the user about an error, and what they can do next. */
export function describeError(error: ErrorInfo, ctx: MessageContext): UserMessage {
  // Own properties only: a server's "constructor" or "__proto__" is an unknown code, not Object's.
  const message = (Object.hasOwn(TABLE, error.code) ? TABLE[error.code]! : fallback)(ctx, error)
  return error.code === 'redirect_uri_not_allowed' ? { ...message, copy: ctx.redirectUri } : message
}

/**
 * Turns a `launchWebAuthFlow` rejection into an error code. Chromium rejects with "The user did
 * not approve access." when the window is closed (Firefox: "User cancelled or denied access."),
 * and with "Authorization page could not be loaded." when the page fails to load.
 */
export function classifyAuthFlowRejection(reason: unknown): ErrorInfo {
  const message = reason instanceof Error ? reason.message : String(reason)
  if (/did not approve access|cancelled or denied access|canceled or denied access/i.test(message)) {
    return { code: 'window_closed', message }
  }
  if (/could not be loaded/i.test(message)) return { code: 'auth_page_failed', message }
  return { code: 'auth_failed', message }
}
