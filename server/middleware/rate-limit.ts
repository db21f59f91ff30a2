import type { Context, MiddlewareHandler } from 'hono'
import { rateLimiter, type Store } from 'hono-rate-limiter'
import { ApiError } from '../errors'

export interface RateLimitOptions {
  perMinute: number
  /** The client's address as seen by the runtime (socket peer on Node). */
  clientAddress: (c: Context) => string | undefined
  /** Take the last `X-Forwarded-For` hop (the one your proxy appended) instead; only true behind a proxy you run. */
  trustProxy: boolean
  /** Shared store for several instances; in memory by default. */
  store?: Store
}

/** Per-IP limit on the endpoints that call Instagram with the app secret. */
export function perIpRateLimit(options: RateLimitOptions): MiddlewareHandler {
  return rateLimiter({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-6',
    ...(options.store ? { store: options.store } : {}),
    keyGenerator: (c) => clientKey(c, options),
    handler: (c) => {
      const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined
      const seconds = info?.resetTime ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : 60
      throw new ApiError('rate_limited', `Too many requests from this address; try again in ${seconds} seconds.`, {
        headers: { 'Retry-After': String(seconds) },
      })
    },
  })
}

function clientKey(c: Context, options: RateLimitOptions): string {
  if (options.trustProxy) {
    // A proxy appends the address it saw to whatever X-Forwarded-For the client sent: only the last
    // hop is the proxy's word. The first is the client's own, and would let it pick a new key (and
    // a fresh limit) for every request.
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
    if (forwarded) return forwarded
  }
  return options.clientAddress(c) ?? 'unknown'
}
