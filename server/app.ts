import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { ServerConfig } from './config'
import { ApiError } from './errors'
import { createInstagramClient, type Upstream } from './instagram/client'
import { limitConcurrency } from './instagram/concurrency'
import { fetchUpstream, type Fetch } from './instagram/fetch-upstream'
import { frontDoor, type FetchHandler } from './front-door'
import { limitBody } from './middleware/body'
import { perIpRateLimit } from './middleware/rate-limit'
import { errorResponse } from './response'
import { meRoutes } from './routes/me'
import { metaCallbackRoutes } from './routes/meta-callbacks'
import { publicRoutes } from './routes/public'
import { refreshRoutes } from './routes/refresh'
import { tokenRoutes } from './routes/token'

export interface AppDeps {
  /** How Instagram is reached; the Node entry gives ./instagram/node-upstream. */
  upstream?: Upstream
  /** Or a fetch function to reach it with (tests); the global fetch by default. */
  fetch?: Fetch
  /** One line per request and the server's warnings. Never given a secret, token or code. */
  log?: (line: string) => void
  /** The client's IP for rate limiting; the Node entry reads the socket. */
  clientAddress?: (c: Context) => string | undefined
  /** Replaces the in-memory per-IP limiter of `/token` and `/refresh` (e.g. a Workers rate-limiting binding). */
  rateLimit?: MiddlewareHandler
  /** Replaces the in-memory per-IP limiter of `/me` and `/me/media`. */
  readRateLimit?: MiddlewareHandler
}

/** Paths and the methods they answer; anything else on them is 405. */
const ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/health': ['GET', 'HEAD'],
  '/config': ['GET', 'HEAD'],
  '/token': ['POST'],
  '/refresh': ['POST'],
  '/me': ['GET', 'HEAD'],
  '/me/media': ['GET', 'HEAD'],
  '/instagram/deauthorize': ['POST'],
  '/instagram/data-deletion': ['POST'],
  '/instagram/deletion': ['GET', 'HEAD'],
}

/** The exchange server as Node's adapter and Workers call it. */
export interface ExchangeApp {
  fetch: FetchHandler
}

/** The exchange server (SPEC "Server HTTP API"), runtime-neutral: the front door, then Hono's routes. */
export function createApp(config: ServerConfig, deps: AppDeps = {}): ExchangeApp {
  const log = deps.log ?? ((line: string) => console.log(line))
  const upstream = deps.upstream ?? fetchUpstream(deps.fetch ?? ((input, init) => fetch(input, init)))
  const instagram = createInstagramClient(config, limitConcurrency(upstream, config.upstreamMaxConcurrency), log)
  const limit = (perMinute: number) =>
    perIpRateLimit({ perMinute, trustProxy: config.trustProxy, clientAddress: deps.clientAddress ?? (() => undefined) })
  const rateLimit = deps.rateLimit ?? limit(config.rateLimitPerMinute)
  const readRateLimit = deps.readRateLimit ?? limit(config.readRateLimitPerMinute)

  const app = new Hono()
  app.use('/token', rateLimit)
  app.use('/refresh', rateLimit)
  app.use('/me', readRateLimit)
  app.use('/me/media', readRateLimit)
  const bodyLimit = limitBody()
  for (const path of ['/token', '/refresh', '/instagram/deauthorize', '/instagram/data-deletion']) app.use(path, bodyLimit)

  app.route('/', publicRoutes(config))
  app.route('/', tokenRoutes(config, instagram, log))
  app.route('/', refreshRoutes(instagram))
  app.route('/', meRoutes(instagram))
  app.route('/', metaCallbackRoutes(config, log))

  app.notFound(() => {
    throw new ApiError('not_found', 'There is nothing at this path; see the API table in the README.')
  })
  app.onError((error) => errorResponse(error, log))

  return { fetch: frontDoor({ publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins, methods: ROUTES, log }, app.fetch) }
}
