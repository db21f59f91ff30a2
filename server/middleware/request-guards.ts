import { ApiError } from '../errors'

const EXTENSION_SCHEMES = new Set(['chrome-extension:', 'moz-extension:', 'safari-web-extension:', 'ms-browser-extension:'])

/** `localhost`, `*.localhost`, 127.0.0.0/8 and ::1: names a DNS-rebinding attacker cannot point at us. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(name) ||
    name === '::1' ||
    name === '0:0:0:0:0:0:0:1'
  )
}

function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname
  } catch {
    return undefined
  }
}

/**
 * DNS rebinding: a web page on evil.example that re-points its name at 127.0.0.1 reaches us with
 * `Host: evil.example`. Only the public host and loopback names are served; others throw
 * 403 host_not_allowed.
 */
export function hostGuard(publicUrl: string): (request: Request) => void {
  const publicHostname = new URL(publicUrl).hostname.toLowerCase()
  // Nearly every request carries the same Host: the last one allowed skips the URL parse.
  let lastAllowed: string | undefined
  return (request) => {
    const header = request.headers.get('host') ?? new URL(request.url).host
    if (header === lastAllowed) return
    const hostname = hostnameOf(header)?.toLowerCase()
    if (hostname === undefined || (hostname !== publicHostname && !isLoopbackHostname(hostname))) {
      throw new ApiError('host_not_allowed', 'This server only answers requests addressed to its PUBLIC_URL host or to a loopback name.')
    }
    lastAllowed = header
  }
}

/** The CORS headers an allowed web origin gets, on its preflight and on every answer. */
export type CorsHeaders = Record<string, string>

/**
 * Web pages must not drive the exchange (RFC 9700 §4.16-style cross-origin abuse): a browser
 * `Origin` that is a web origin is refused (403 origin_not_allowed) unless listed in
 * ALLOWED_ORIGINS. Extension origins and requests without `Origin` (the extension's worker, curl,
 * servers) pass. Allowed web origins get CORS headers for exactly their origin, never `*`.
 */
export function originGuard(allowedOrigins: readonly string[]): (request: Request) => CorsHeaders | undefined {
  const allowed = new Set(allowedOrigins)
  return (request) => {
    const origin = request.headers.get('origin')
    if (origin === null) return undefined
    if (allowed.has(origin)) return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
    let scheme: string | undefined
    try {
      scheme = new URL(origin).protocol
    } catch {
      scheme = undefined
    }
    if (scheme !== undefined && EXTENSION_SCHEMES.has(scheme)) return undefined
    throw new ApiError('origin_not_allowed', `Requests from ${origin.length > 200 ? 'this origin' : origin} are not allowed; add it to ALLOWED_ORIGINS if it should be.`)
  }
}

/** What an allowed origin's CORS preflight (`OPTIONS`) is told, besides its CorsHeaders. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Methods': 'GET, POST',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
})
