/**
 * The authorization code as a client sent it, made into what Instagram issued: surrounding
 * whitespace (a code copied by hand) and everything from the first `#` dropped. Instagram
 * appends `#_` to its redirect (Instagram API with Instagram Login, "Get authorization": "Note
 * that #_ will be appended to the end of the redirect URI, but it is not part of the code
 * itself"); a `#` starts a URL's fragment, never a code's text, so `abc#_#_` is `abc` too.
 * Returns '' when nothing is left: the caller answers `invalid_request` without calling
 * Instagram, which would spend a request only to refuse a missing code.
 */
export function authorizationCodeFrom(raw: string): string {
  const hash = raw.indexOf('#')
  return (hash === -1 ? raw : raw.slice(0, hash)).trim()
}
