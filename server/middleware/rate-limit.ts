import type { Context, MiddlewareHandler } from 'hono'
import { rateLimiter, type Store } from 'hono-rate-limiter'
import { clientKey, createClientAddress, type TrustProxy } from '../client-ip'
import { ApiError } from '../errors'

interface ClientKeyOptions {
  /** The client's address as seen by the runtime (socket peer on Node, `CF-Connecting-IP` on Workers). */
  clientAddress: (c: Context) => string | undefined
  /** `TRUST_PROXY`: whose `X-Forwarded-For` is read (./client-ip). */
  trustProxy: TrustProxy
}

export interface RateLimitOptions extends ClientKeyOptions {
  perMinute: number
  /** Shared store for several instances; in memory by default. */
  store?: Store
}

/** Per-IP limit (IPv6 per /64): `RATE_LIMIT_PER_MINUTE` on `/token` and `/refresh`, `READ_RATE_LIMIT_PER_MINUTE` on `/me` and `/me/media`. */
export function perIpRateLimit(options: RateLimitOptions): MiddlewareHandler {
  return rateLimiter({
    windowMs: 60_000,
    limit: options.perMinute,
    // No RateLimit-* headers on every answer (SPEC asks only for Retry-After on 429): they would
    // be set on Hono's context, which the API's plain-object responses do not carry over.
    standardHeaders: false,
    ...(options.store ? { store: options.store } : {}),
    keyGenerator: keyOf(options),
    handler: (c) => {
      const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined
      const seconds = info?.resetTime ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : 60
      throw rateLimited(seconds)
    },
  })
}

/**
 * The Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml), the shape
 * `env.RATE_LIMITER` has at run time. https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/
 */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

export interface BindingRateLimitOptions extends ClientKeyOptions {
  binding: RateLimitBinding
  /** The binding's `simple.period` (10 or 60); the binding does not say when its window ends. */
  periodSeconds: number
}

/**
 * The same per-IP limit, counted by a Workers rate-limiting binding. Its counters are shared by
 * the Worker's isolates in one Cloudflare location, and each location counts on its own ("within
 * a given period in a single Cloudflare location":
 * https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/); the in-memory
 * store is per isolate. Limit and period live in the binding's configuration, not here.
 */
export function bindingRateLimit(options: BindingRateLimitOptions): MiddlewareHandler {
  return rateLimiter({
    binding: options.binding,
    keyGenerator: keyOf(options),
    handler: () => {
      throw rateLimited(options.periodSeconds)
    },
  })
}

function rateLimited(seconds: number): ApiError {
  return new ApiError('rate_limited', `Too many requests from this address; try again in ${seconds} seconds.`, {
    headers: { 'Retry-After': String(seconds) },
  })
}

function keyOf(options: ClientKeyOptions): (c: Context) => string {
  const address = createClientAddress(options.trustProxy)
  return (c) => {
    const client = address(options.clientAddress(c), c.req.header('x-forwarded-for'))
    return client === undefined ? 'unknown' : clientKey(client)
  }
}
