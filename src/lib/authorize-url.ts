export interface AuthorizeParams {
  /** The authorize endpoint from the server's `/config` (`authorize_url`). */
  authorizeUrl: string
  clientId: string
  /** `identity.getRedirectURL()`; must match a registered redirect URI exactly. */
  redirectUri: string
  scope: readonly string[]
  state: string
}

/**
 * The Instagram authorization window URL: `client_id`, `redirect_uri`, `scope` (comma-separated,
 * as Instagram documents), `response_type=code` and `state`. Query parameters already on
 * `authorizeUrl` are kept; ours replace any of the same name.
 */
export function buildAuthorizeUrl(params: AuthorizeParams): string {
  const url = new URL(params.authorizeUrl)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`authorize_url must be an http(s) URL, got ${url.protocol}`)
  }
  url.hash = ''
  url.searchParams.set('client_id', params.clientId)
  url.searchParams.set('redirect_uri', params.redirectUri)
  url.searchParams.set('scope', params.scope.join(','))
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('state', params.state)
  return url.toString()
}
