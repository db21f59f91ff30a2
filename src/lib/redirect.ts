import { fail, ok, type Result } from './result'

export interface ExpectedRedirect {
  /** The redirect URL we sent (`identity.getRedirectURL()`). */
  redirectUri: string
  /** The `state` we sent, read back from `storage.session`. */
  state: string
}

/**
 * Reads the URL `identity.launchWebAuthFlow` resolved with.
 *
 * - It must be our redirect URL (same origin and path), or it is `invalid_redirect`.
 * - `error=access_denied` (Instagram's Cancel: `error_reason=user_denied`) is `cancelled`;
 *   any other `error` is `auth_failed`. A `state` on an error redirect must still match.
 * - Otherwise `state` must equal ours exactly (RFC 6749 §10.12) or it is `state_mismatch`, and
 *   the code is not returned, so it is never sent anywhere.
 * - Instagram appends `#_` to the redirect; it is not part of the code.
 */
export function parseRedirect(responseUrl: string, expected: ExpectedRedirect): Result<{ code: string }> {
  let url: URL
  let want: URL
  try {
    url = new URL(responseUrl)
    want = new URL(expected.redirectUri)
  } catch {
    return fail('invalid_redirect', 'The authorization window returned something that is not a URL.')
  }
  if (url.origin !== want.origin || url.pathname !== want.pathname) {
    return fail('invalid_redirect', `The authorization window returned to ${url.origin}${url.pathname}, not to ${expected.redirectUri}.`)
  }
  const params = url.searchParams
  const state = params.get('state')
  const error = params.get('error')
  if (error !== null) {
    if (state !== null && state !== expected.state) {
      return fail('state_mismatch', 'The answer did not belong to this sign-in attempt.')
    }
    const description = params.get('error_description') ?? params.get('error_reason') ?? error
    if (error === 'access_denied') return fail('cancelled', description)
    return fail('auth_failed', `${error}: ${description}`)
  }
  if (state === null || state !== expected.state) {
    return fail('state_mismatch', state === null ? 'The answer carried no state.' : 'The answer carried a different state.')
  }
  // URL parsing already drops the fragment; a `#_` can still arrive percent-encoded.
  const code = (params.get('code') ?? '').replace(/#_$/, '')
  if (code === '') return fail('invalid_redirect', 'The answer carried no authorization code.')
  return ok({ code })
}
