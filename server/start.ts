import { getRequestListener } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createApp, type AppDeps } from './app'
import type { ServerConfig } from './config'
import { ApiError } from './errors'
import { createNodeUpstream } from './instagram/node-upstream'
import type { SharedRateLimitStore } from './middleware/shared-rate-limit'
import { apiJson } from './response'
import { GracefulShutdown, type ShutdownReport } from './shutdown'

export interface RunningServer {
  url: string
  port: number
  /** Closes every connection at once (tests). */
  close(): Promise<void>
  /**
   * What SIGTERM/SIGINT do (SPEC `SHUTDOWN_GRACE_MS`): stop accepting, let requests in flight
   * finish for up to `graceMs` (default the configured grace), answer the rest 503
   * `shutting_down`, then close. Only on the Node entry; workerd's own stop has no such hook.
   */
  shutdown?(graceMs?: number): Promise<ShutdownReport>
}

/**
 * Serves the app on Node at `config.host:config.port` (port 0 picks a free one, for tests) and
 * resolves once it listens. Rejects with the listen error (e.g. EADDRINUSE).
 */
export async function startServer(config: ServerConfig, deps: AppDeps = {}): Promise<RunningServer> {
  const upstream = createNodeUpstream()
  // RATE_LIMIT_REDIS_URL: one store for the whole process (build runs twice with PORT=0).
  const shared = config.rateLimitRedisUrl ? await redisStore(config.rateLimitRedisUrl, deps.log ?? ((line) => console.log(line))) : undefined
  const build = (publicUrl: string) =>
    createApp({ ...config, publicUrl }, {
      // A fetch given by the caller (tests) replaces the Node upstream.
      ...(deps.fetch ? {} : { upstream }),
      ...(shared ? { rateLimitStore: shared.store } : {}),
      clientAddress: (c) => {
        try {
          return getConnInfo(c).remote.address
        } catch {
          return undefined
        }
      },
      ...deps,
    })
  let app = build(config.publicUrl)

  // Node and the adapter answer some requests themselves, with bare statuses outside the API's
  // contract (SPEC: every response is JSON with Cache-Control: no-store). The adapter's refusals
  // (an unreadable Host, none at all, a backslash in the path) and Node's parse errors (an unknown
  // method, headers over 16 KiB) get the API's 400 instead; an Expect other than 100-continue is
  // served like any request rather than refused with 417.
  const graceful = new GracefulShutdown()
  const listener = graceful.listener(
    getRequestListener(
      graceful.handler((request, env) => app.fetch(request, env)),
      { errorHandler: () => badRequest('The request target or its Host header could not be read.') },
    ),
  )
  const server = createServer({ requireHostHeader: false }, listener)
  server.on('checkExpectation', listener)
  server.on('clientError', answerClientError)

  return new Promise((resolve, reject) => {
    const failed = (error: Error) => {
      void shared?.close()
      reject(error)
    }
    server.once('error', failed)
    server.listen(config.port, config.host, () => {
      server.off('error', failed)
      const info = server.address() as AddressInfo
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      // PORT=0 picks a free port; links the server hands out must name the real one.
      if (new URL(config.publicUrl).port === '0') app = build(`http://${host}:${info.port}`)
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: async () => {
          await new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          })
          await shared?.close()
        },
        shutdown: async (graceMs = config.shutdownGraceMs) => {
          const report = await graceful.shutdown(server, graceMs)
          await shared?.close()
          return report
        },
      })
    })
  })
}

/**
 * The Redis-backed store, loaded only when RATE_LIMIT_REDIS_URL is set: ioredis is about 60 % of
 * the bundled server's code, and evaluating it (its command table, its own dependencies) costs
 * every server that never uses it memory and start time (BENCHMARKS.md, row 7). esbuild keeps a
 * dynamic import in the same file, evaluated when called, so `npm run build:server` still
 * writes one file that runs alone.
 */
async function redisStore(url: string, log: (line: string) => void): Promise<SharedRateLimitStore> {
  const { sharedRateLimitStore } = await import('./middleware/shared-rate-limit')
  return sharedRateLimitStore(url, log)
}

function badRequest(description: string): Response {
  const error = new ApiError('invalid_request', description)
  return apiJson(error.toBody(), error.status)
}

/** Node's `clientError` default, in the API's error shape: answer if the socket can still take it, then close. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket & { _httpMessage?: ServerResponse }): void {
  // A client that ends the connection mid-request (HPE_INVALID_EOF_STATE) has no request left to
  // answer, and may already have had its answer: a second one would be unsolicited.
  if (error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE' || !socket.writable || socket._httpMessage?.headersSent) {
    socket.destroy()
    return
  }
  const description =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'The request headers are too large.'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'The request did not arrive completely in time.'
        : 'The request is not well-formed HTTP.'
  const body = JSON.stringify(new ApiError('invalid_request', description).toBody())
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  )
}
