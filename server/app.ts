import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ServerConfig } from './config'
import { ApiError } from './errors'
import { createInstagramClient, type Fetch } from './instagram/client'
import { limitBody, MAX_BODY_BYTES } from './middleware/body'
import { perIpRateLimit } from './middleware/rate-limit'
import { hostGuard, originGuard } from './middleware/request-guards'
import { meRoutes } from './routes/me'
import { metaCallbackRoutes } from './routes/meta-callbacks'
import { publicRoutes } from './routes/public'
import { refreshRoutes } from './routes/refresh'
import { tokenRoutes } from './routes/token'

export interface AppDeps {
  /** Upstream fetch; injectable for tests and other runtimes. */
  fetch?: Fetch
  /** One line per request and the server's warnings. Never given a secret, token or code. */
  log?: (line: string) => void
  /** The client's IP for rate limiting; the Node entry reads the socket. */
  clientAddress?: (c: Context) => string | undefined
  /** Replaces the in-memory per-IP limiter (e.g. a Workers rate-limiting binding). */
  rateLimit?: MiddlewareHandler
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

/** Printable ASCII without spaces: a path that needs no encoding in a log line (the usual case). */
const PLAIN_PATH = /^[\x21-\x7e]*$/

/** The exchange server (SPEC "Server HTTP API") as a runtime-neutral Hono app. */
export function createApp(config: ServerConfig, deps: AppDeps = {}) {
  const log = deps.log ?? ((line: string) => console.log(line))
  const instagram = createInstagramClient(config, deps.fetch ?? ((input, init) => fetch(input, init)))
  const rateLimit =
    deps.rateLimit ??
    perIpRateLimit({
      perMinute: config.rateLimitPerMinute,
      trustProxy: config.trustProxy,
      clientAddress: deps.clientAddress ?? (() => undefined),
    })

  const app = new Hono()

  app.use('*', async (c, next) => {
    const started = performance.now()
    // Set before next(): c.json and the error handler copy them into every response. Set after,
    // Hono would rebuild the finished response around its body stream, and @hono/node-server
    // would write it chunk by chunk instead of in one write (BENCHMARKS.md, row 1).
    c.header('Cache-Control', 'no-store')
    c.header('X-Content-Type-Options', 'nosniff')
    await next()
    // The path only: query strings can carry codes. Hono decodes the path, so a `%0A` in it would
    // end this line and forge the next: whitespace and control characters are logged encoded.
    const path = PLAIN_PATH.test(c.req.path) ? c.req.path : c.req.path.replace(/[\s\p{Cc}\p{Cf}]/gu, encodeURIComponent)
    log(`${c.req.method} ${path} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`)
  })
  app.use('*', hostGuard(config.publicUrl))
  app.use('*', originGuard(config.allowedOrigins))
  app.use('*', (c, next) => {
    const allowed = ROUTES[c.req.path]
    if (allowed && !allowed.includes(c.req.method)) {
      throw new ApiError('method_not_allowed', `${c.req.path} answers ${allowed.filter((m) => m !== 'HEAD').join(', ')} only.`, {
        headers: { Allow: allowed.join(', ') },
      })
    }
    return next()
  })
  app.use('/token', rateLimit)
  app.use('/refresh', rateLimit)
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
  app.onError((error, c) => {
    const apiError = toApiError(error, log)
    for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value)
    c.header('Cache-Control', 'no-store')
    return c.json(apiError.toBody(), apiError.status)
  })
  return app
}

function toApiError(error: unknown, log: (line: string) => void): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof HTTPException && error.status === 413) {
    return new ApiError('payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`)
  }
  if (error instanceof HTTPException && error.status === 400) {
    return new ApiError('invalid_request', 'The request could not be read.')
  }
  // The name only: messages of unexpected errors may quote input.
  log(`unexpected error: ${error instanceof Error ? error.name : typeof error}`)
  return new ApiError('server_error', 'Something went wrong on the exchange server; try again, and report it if it keeps happening.')
}
