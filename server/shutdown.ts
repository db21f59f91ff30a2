import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { ApiError } from './errors'
import { apiJson } from './response'

type Handler = (request: Request, env: unknown) => Response | Promise<Response>
type Listener = (request: IncomingMessage, response: ServerResponse) => void

/** What a graceful shutdown did: requests that finished within the grace, and those cut off. */
export interface ShutdownReport {
  finished: number
  cutOff: number
}

/** The answer to a request still running when the grace ran out (SPEC: 503 `shutting_down`). */
export function shuttingDownResponse(): Response {
  const error = new ApiError(
    'shutting_down',
    'The server is stopping and this request did not finish in time. Try again; a sign-in code already sent to Instagram may be spent, so connect again.',
  )
  return apiJson(error.toBody(), error.status, { connection: 'close' })
}

/**
 * Graceful shutdown of a Node HTTP server (SPEC `SHUTDOWN_GRACE_MS`): stop accepting, close idle
 * keep-alive connections, let requests in flight finish for up to the grace, then answer those
 * still running 503 `shutting_down` — a documented answer, never a dropped socket — and close
 * every connection once its answer is out.
 *
 * Wire it in with `handler` (around the app's fetch: a request can be answered early) and
 * `listener` (around the Node request listener: it counts requests in flight until their answer
 * is written), then call `shutdown`.
 */
export class GracefulShutdown {
  /** Requests in flight: their responses, until closed. */
  readonly #responses = new Set<ServerResponse>()
  #stopping = false
  #expired = false
  #server: Server | undefined
  #drained: (() => void) | undefined
  /** How to answer each request now running early; a request leaves the set when it settles. */
  readonly #cutoffs = new Set<(response: Response) => void>()

  /** The app's fetch, made interruptible: once the grace has run out, it answers `shutting_down`. */
  handler(handle: Handler): Handler {
    return (request, env) => {
      if (this.#expired) return shuttingDownResponse()
      const answer = handle(request, env)
      // An answer that is already there cannot be running at shutdown (the fast, common path).
      if (!(answer instanceof Promise)) return answer
      return new Promise<Response>((resolve, reject) => {
        this.#cutoffs.add(resolve)
        answer.then(
          (response) => {
            this.#cutoffs.delete(resolve)
            resolve(response)
          },
          (error: unknown) => {
            this.#cutoffs.delete(resolve)
            reject(error)
          },
        )
      })
    }
  }

  /** The Node request listener, counting requests until their response is closed. */
  listener(listen: Listener): Listener {
    return (request, response) => {
      this.#responses.add(response)
      // Keep-alive ends with the answers given while stopping.
      if (this.#stopping) response.setHeader('connection', 'close')
      response.once('close', () => this.#settled(response))
      listen(request, response)
    }
  }

  #settled(response: ServerResponse): void {
    this.#responses.delete(response)
    if (!this.#stopping) return
    // The connection this answer went out on is idle now: close it.
    this.#server?.closeIdleConnections()
    if (this.#responses.size === 0) this.#drained?.()
  }

  /**
   * Stops `server` (see the class). Resolves once every connection is closed, with how many
   * requests finished and how many were cut off. Leaves no timer behind.
   */
  async shutdown(server: Server, graceMs: number): Promise<ShutdownReport> {
    this.#stopping = true
    this.#server = server
    const closed = new Promise<void>((done) => server.close(() => done()))
    server.closeIdleConnections()
    // Answers still to come end keep-alive too.
    for (const response of this.#responses) if (!response.headersSent) response.setHeader('connection', 'close')
    const running = this.#responses.size
    let cutOff = 0
    if (running > 0) {
      const drained = new Promise<void>((done) => (this.#drained = done))
      const inTime = await within(drained, graceMs)
      if (!inTime) {
        this.#expired = true
        cutOff = this.#cutoffs.size
        for (const cut of this.#cutoffs) cut(shuttingDownResponse())
        this.#cutoffs.clear()
        // The 503s are being written; a client that does not read its answer gets a second.
        await within(drained, 1000)
      }
    }
    server.closeAllConnections()
    await closed
    return { finished: running - cutOff, cutOff }
  }
}

/** Whether `promise` settled within `ms`; the timer is cleared either way. */
async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<false>((done) => (timer = setTimeout(() => done(false), ms)))
  try {
    return await Promise.race([promise.then(() => true as const), expired])
  } finally {
    clearTimeout(timer)
  }
}
