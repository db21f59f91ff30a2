import type { Context, MiddlewareHandler } from 'hono'
import { rateLimiter, type Store } from 'hono-rate-limiter'
import { ApiError } from '../errors'

export interface RateLimitOptions {
  perMinute: number
  /** The client's address as seen by the runtime (socket peer on Node). */
  clientAddress: (c: Context) => string | undefined
  /** Take the first `X-Forwarded-For` hop instead; only true behind a proxy you control. */
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
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  return options.clientAddress(c) ?? 'unknown'
}
