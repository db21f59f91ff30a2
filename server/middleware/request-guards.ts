import type { Context, MiddlewareHandler, Next } from 'hono'
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
 * `Host: evil.example`. Only the public host and loopback names are served.
 */
export function hostGuard(publicUrl: string): MiddlewareHandler {
  const publicHostname = new URL(publicUrl).hostname.toLowerCase()
  // Nearly every request carries the same Host: the last one allowed skips the URL parse.
  let lastAllowed: string | undefined
  // Not async: a guard that passes hands back next()'s promise instead of wrapping it in another.
  return (c, next) => {
    const header = c.req.header('host') ?? new URL(c.req.url).host
    if (header !== lastAllowed) {
      const hostname = hostnameOf(header)?.toLowerCase()
      if (hostname === undefined || (hostname !== publicHostname && !isLoopbackHostname(hostname))) {
        throw new ApiError('host_not_allowed', 'This server only answers requests addressed to its PUBLIC_URL host or to a loopback name.')
      }
      lastAllowed = header
    }
    return next()
  }
}

/**
 * Web pages must not drive the exchange (RFC 9700 §4.16-style cross-origin abuse): a browser
 * `Origin` that is a web origin is refused unless listed in ALLOWED_ORIGINS. Extension origins
 * and requests without `Origin` (the extension's worker, curl, servers) pass. Allowed web
 * origins get CORS headers for exactly their origin, never `*`.
 */
export function originGuard(allowedOrigins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins)
  return (c, next) => {
    const origin = c.req.header('origin')
    return origin === undefined ? next() : checkOrigin(c, next, origin)
  }

  async function checkOrigin(c: Context, next: Next, origin: string) {
    if (allowed.has(origin)) {
      c.header('Access-Control-Allow-Origin', origin)
      c.header('Vary', 'Origin')
      if (c.req.method === 'OPTIONS') {
        c.header('Access-Control-Allow-Methods', 'GET, POST')
        c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type')
        c.header('Access-Control-Max-Age', '600')
        return c.body(null, 204)
      }
      return next()
    }
    let scheme: string | undefined
    try {
      scheme = new URL(origin).protocol
    } catch {
      scheme = undefined
    }
    if (scheme !== undefined && EXTENSION_SCHEMES.has(scheme)) return next()
    throw new ApiError('origin_not_allowed', `Requests from ${origin.length > 200 ? 'this origin' : origin} are not allowed; add it to ALLOWED_ORIGINS if it should be.`)
  }
}
