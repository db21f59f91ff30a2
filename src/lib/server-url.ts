import { fail, ok, type Result } from './result'

// Not [::1]: the extension pages' CSP allows http: for these hosts only (manifest.json), and
// Chromium's CSP cannot name an IPv6 address ("contains an invalid source: 'http://[::1]:*'").
const LOOPBACK = new Set(['127.0.0.1', 'localhost'])

/** Whether a URL's host is this computer, where plain http cannot be observed on the wire. */
export const isLoopback = (url: URL): boolean => LOOPBACK.has(url.hostname) || url.hostname.endsWith('.localhost')

/**
 * Checks and normalizes the server URL typed in the options page: http(s), no credentials,
 * query or fragment, no trailing slash. Plain http is only accepted for loopback hosts,
 * because the access token travels in every request.
 */
export function normalizeServerUrl(input: string): Result<string> {
  const text = input.trim()
  if (text === '') return fail('invalid_url', 'Enter the server URL, for example http://127.0.0.1:8787.')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return fail('invalid_url', 'That is not a URL. Enter one like http://127.0.0.1:8787.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('invalid_url', 'The server URL must start with http:// or https://.')
  }
  if (url.username !== '' || url.password !== '') return fail('invalid_url', 'Leave the user name and password out of the URL.')
  if (url.search !== '' || url.hash !== '') return fail('invalid_url', 'Leave the ?query and #fragment out of the URL.')
  if (url.protocol === 'http:' && url.hostname === '[::1]') {
    return fail('insecure_url', `Use http://localhost${url.port ? `:${url.port}` : ''} for a server on this computer: the extension cannot reach IPv6 addresses over plain http.`)
  }
  if (url.protocol === 'http:' && !isLoopback(url)) {
    return fail('insecure_url', 'Use https:// for a server that is not on this computer: the access token travels in every request.')
  }
  return ok(url.origin + url.pathname.replace(/\/+$/, ''))
}

/**
 * How the browser reads a port in a host-permission match pattern. Chrome matches it, and a
 * pattern without a port matches every port (`'ports'`). Firefox does not support ports in match
 * patterns (MDN "Match patterns": the host "must not include a port number"): it accepts
 * `http://127.0.0.1:8787/*` but the pattern matches nothing, so calls to that server fail as
 * cross-origin. There, a pattern names the host only and covers every port (`'host-only'`).
 */
export type PortMatching = 'ports' | 'host-only'

/** The rule of the browser an extension page or worker runs in, from its own URL (`runtime.getURL('')`). */
export const portMatchingOf = (extensionUrl: string): PortMatching => (extensionUrl.startsWith('moz-extension:') ? 'host-only' : 'ports')

/**
 * The match pattern that grants access to a server URL's origin: `http://127.0.0.1:9000/*`, or
 * in Firefox, which cannot name a port, `http://127.0.0.1/*`.
 */
export function originPattern(serverUrl: string, matching: PortMatching = 'ports'): string {
  const url = new URL(serverUrl)
  return matching === 'ports' ? `${url.origin}/*` : `${url.protocol}//${url.hostname}/*`
}

/**
 * Whether a host-permission match pattern (`scheme://host[:port]/path`) covers a URL's origin.
 * A pattern without a port matches any port, and the path is ignored, as Chrome documents:
 * https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns
 * With `'host-only'` (Firefox) a pattern that names a port covers nothing.
 */
export function patternCovers(pattern: string, target: string, matching: PortMatching = 'ports'): boolean {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return false
  }
  if (pattern === '<all_urls>') return url.protocol === 'http:' || url.protocol === 'https:'
  const match = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/:*]+|\[[^\]]+\])(?::(\d+|\*))?(\/.*)$/.exec(pattern)
  if (match === null) return false
  // For host permissions the path is required but ignored.
  const [, scheme = '', host = '', port] = match
  if (scheme === '*' ? url.protocol !== 'http:' && url.protocol !== 'https:' : url.protocol !== `${scheme}:`) return false
  const hostname = url.hostname
  if (host !== '*') {
    if (host.startsWith('*.')) {
      const suffix = host.slice(2)
      if (hostname !== suffix && !hostname.endsWith(`.${suffix}`)) return false
    } else if (hostname !== host.toLowerCase()) return false
  }
  if (port !== undefined && matching === 'host-only') return false
  if (port !== undefined && port !== '*') {
    const actual = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port
    if (actual !== port) return false
  }
  return true
}

/** Whether any of the manifest's `host_permissions` already covers the server URL. */
export const isCovered = (serverUrl: string, hostPermissions: readonly string[], matching: PortMatching = 'ports'): boolean =>
  hostPermissions.some((pattern) => patternCovers(pattern, serverUrl, matching))
