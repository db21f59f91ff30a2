import type { ExecutionContext } from 'hono'
import { getPath } from 'hono/utils/url'
import { ApiError } from './errors'
import { hostGuard, originGuard, PREFLIGHT_HEADERS, type CorsHeaders } from './middleware/request-guards'
import { apiEmpty, errorResponse } from './response'

/** A fetch handler as Node's adapter and Workers call it. */
export type FetchHandler = (request: Request, env?: unknown, ctx?: ExecutionContext) => Response | Promise<Response>

export interface FrontDoorOptions {
  publicUrl: string
  allowedOrigins: readonly string[]
  /** The API's paths and the methods each answers; any other method there is 405. */
  methods: Readonly<Record<string, readonly string[]>>
  log: (line: string) => void
}

/** Printable ASCII without spaces: a path that needs no encoding in a log line (the usual case). */
const PLAIN_PATH = /^[\x21-\x7e]*$/

/**
 * What every request passes before the routes: the Host (DNS rebinding) and Origin guards, CORS
 * for allowed web origins, and the 405 check; then one log line with the answer's status (not
 * for a healthy `/health`).
 *
 * A function around the Hono app rather than Hono middleware: a route with no middleware is
 * called directly, where any middleware on it makes Hono run its compose chain for every
 * request (BENCHMARKS.md, row 3).
 */
export function frontDoor(options: FrontDoorOptions, routes: FetchHandler): FetchHandler {
  const { methods, log } = options
  const checkHost = hostGuard(options.publicUrl)
  const checkOrigin = originGuard(options.allowedOrigins)
  const checkMethod = (path: string, method: string) => {
    // Own properties only: `/constructor` or `/__proto__` is a path like any other (404).
    const allowed = Object.hasOwn(methods, path) ? methods[path] : undefined
    if (allowed !== undefined && !allowed.includes(method)) {
      throw new ApiError('method_not_allowed', `${path} answers ${allowed.filter((m) => m !== 'HEAD').join(', ')} only.`, {
        headers: { Allow: allowed.join(', ') },
      })
    }
  }

  // Not async: when the route answers at once (`/health`, `/config`, refusals) so does this,
  // without a promise and its microtask turns per request (BENCHMARKS.md, row 3).
  return (request, env, ctx) => {
    const started = performance.now()
    // Hono's own routing path (percent-decoded), so the 405 check and the routes agree.
    const path = getPath(request)
    let cors: CorsHeaders | undefined
    const finish = (response: Response) => {
      if (cors !== undefined) for (const [name, value] of Object.entries(cors)) response.headers.set(name, value)
      // The path only: query strings can carry codes. The path is decoded, so a `%0A` in it
      // would end this line and forge the next: whitespace and control characters are logged encoded.
      // Health probes (a load balancer's or an orchestrator's, every few seconds, forever) would
      // drown the log, and each line costs a write: a healthy answer to one is not logged.
      if (path === '/health' && response.status === 200) return response
      const logged = PLAIN_PATH.test(path) ? path : path.replace(/[\s\p{Cc}\p{Cf}]/gu, encodeURIComponent)
      log(`${request.method} ${logged} ${response.status} ${(performance.now() - started).toFixed(1)}ms`)
      return response
    }
    let answer: Response | Promise<Response>
    try {
      checkHost(request)
      cors = checkOrigin(request)
      if (cors !== undefined && request.method === 'OPTIONS') {
        answer = apiEmpty(204, PREFLIGHT_HEADERS)
      } else {
        checkMethod(path, request.method)
        answer = routes(request, env, ctx)
      }
    } catch (error) {
      answer = errorResponse(error, log)
    }
    return answer instanceof Promise ? answer.then(finish, (error: unknown) => finish(errorResponse(error, log))) : finish(answer)
  }
}
