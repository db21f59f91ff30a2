import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Fetch, UpstreamResponse } from './client'

/**
 * The upstream fetch of the Node entry: node:http(s) on keep-alive agents, for the requests the
 * Instagram client sends (a string URL, a string body or none, redirects not followed). Node's
 * global fetch (undici) spends about 0.3 ms more CPU per call on the benchmark machine, and
 * `POST /token` makes three calls (BENCHMARKS.md, row 1). Anything else, such as a Request
 * object or `redirect: 'follow'`, goes to `fallback`.
 *
 * Like fetch: the promise rejects with `signal.reason` when the signal aborts (a TimeoutError
 * for AbortSignal.timeout) and with a TypeError when the network fails; `redirect: 'manual'`
 * resolves with the 3xx response and `redirect: 'error'` rejects on it. It resolves with the
 * status and the body already read, not a Response: building one and reading it back through
 * its body stream cost another 0.3 ms of CPU per `POST /token` (BENCHMARKS.md, row 1).
 */
export function createNodeFetch(fallback: Fetch = (input, init) => fetch(input, init)): Fetch {
  // Idle sockets are closed before the server's announced Keep-Alive timeout (Node's agent reads it).
  const httpAgent = new HttpAgent({ keepAlive: true })
  const httpsAgent = new HttpsAgent({ keepAlive: true })

  return (input, init = {}) => {
    const { body, redirect, signal } = init
    const url = typeof input === 'string' || input instanceof URL ? new URL(input) : undefined
    if (
      url === undefined ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      (body != null && typeof body !== 'string') ||
      (redirect !== 'manual' && redirect !== 'error')
    ) {
      return fallback(input, init)
    }
    // The client passes plain objects; a Headers instance or pairs are converted (undici validates them).
    const given = init.headers
    const plain = given === undefined || given instanceof Headers || Array.isArray(given) ? Object.fromEntries(new Headers(given)) : given
    const headers: OutgoingHttpHeaders = { 'user-agent': 'node', ...plain }
    if (typeof body === 'string') headers['content-length'] = Buffer.byteLength(body)
    const options = {
      method: init.method ?? 'GET',
      headers,
      agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest

    return new Promise<UpstreamResponse>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      let current: ReturnType<typeof send> | undefined
      const onAbort = () => {
        current?.destroy()
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const fail = (cause: unknown) => {
        signal?.removeEventListener('abort', onAbort)
        reject(new TypeError('fetch failed', { cause }))
      }

      const attempt = (mayRetry: boolean) => {
        const req = send(url, options)
        current = req
        req.on('error', (error: NodeJS.ErrnoException) => {
          // A kept-alive socket the server closed while it sat idle: the request never reached
          // the server, so it is sent once more on a new connection (Node's documented pattern).
          if (mayRetry && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') && !signal?.aborted) attempt(false)
          else fail(error)
        })
        req.on('response', (res: IncomingMessage) => {
          const status = res.statusCode ?? 0
          if (redirect === 'error' && status >= 300 && status < 400) {
            res.resume()
            return fail(new Error(`unexpected redirect (HTTP ${status})`))
          }
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', fail)
          res.on('end', () => {
            signal?.removeEventListener('abort', onAbort)
            // As Response.text(): UTF-8, without a byte order mark.
            const decoded = Buffer.concat(chunks).toString('utf8')
            const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded
            resolve({ status, text: () => Promise.resolve(text) })
          })
        })
        req.end(body ?? undefined)
      }
      attempt(true)
    })
  }
}
