import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Upstream, UpstreamResponse } from './client'
import { USAGE_HEADERS } from './usage'

/**
 * The client's upstream on Node: node:http(s) on keep-alive agents, with the timeout as a plain
 * timer that destroys the request. Cheaper than Node's fetch (undici) by about 0.3 ms of CPU per
 * call on the benchmark machine, and than an AbortController and its event listeners by tens of
 * microseconds more; `POST /token` makes three calls (BENCHMARKS.md, row 1).
 *
 * Like fetch, a 3xx is answered as is (the client refuses it), a network failure rejects with a
 * TypeError, and the timeout rejects with a DOMException named TimeoutError.
 *
 * A request is sent a second time only when that is safe: a GET (it changes nothing) whose
 * kept-alive socket was closed by the server. A POST is never sent again once it may have been
 * written: it carries a single-use authorization code, which Instagram may have taken before
 * dropping the connection (issue 12), and a second try would only spend nothing and answer
 * "code already used".
 */
/**
 * How long a kept-alive socket may sit idle before this side closes it, in ms; sooner when the
 * server announces a shorter `Keep-Alive: timeout=N` (then N s less one second). Node's agent
 * reads that hint only when it has a `timeout` of its own (unset, it keeps idle sockets forever),
 * and a socket the server closed while it sat idle fails the next request with ECONNRESET: a
 * POST carrying a code is then lost (it is never sent again, see below). Bench row 1 found it:
 * under load the server reused sockets the emulator had closed after its 5 s. Below the idle
 * timeouts servers commonly use (Node 5 s, load balancers 60 s), and long enough to keep
 * connections between the calls of one exchange and across a busy minute.
 */
const IDLE_SOCKET_MS = 4_000

export function createNodeUpstream(): Upstream {
  const httpAgent = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS })
  const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS })

  const targets = targetCache()

  return (url, { method = 'GET', headers, body, timeoutMs }) => {
    const target = targets(url)
    const secure = target.protocol === 'https:'
    if (!secure && target.protocol !== 'http:') return Promise.reject(new TypeError(`fetch failed: ${target.protocol} is not HTTP`))
    const send = secure ? httpsRequest : httpRequest
    const options = {
      ...target.options,
      method,
      headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      agent: secure ? httpsAgent : httpAgent,
    }

    return new Promise<UpstreamResponse>((resolve, reject) => {
      let current: ReturnType<typeof send> | undefined
      let settled = false
      const settle = (outcome: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        outcome()
      }
      const fail = (cause: unknown) => settle(() => reject(new TypeError('fetch failed', { cause })))
      const timer = setTimeout(() => {
        settle(() => reject(new DOMException('The upstream call timed out.', 'TimeoutError')))
        current?.destroy()
      }, timeoutMs)

      const attempt = (mayRetry: boolean) => {
        const req = send(options)
        current = req
        req.on('error', (error: NodeJS.ErrnoException) => {
          // A kept-alive socket the server closed while it sat idle: sent once more on a new
          // connection (Node's documented pattern), for GETs only (see above).
          if (mayRetry && method === 'GET' && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') && !settled) attempt(false)
          else fail(error)
        })
        req.on('response', (res: IncomingMessage) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', fail)
          res.on('end', () => {
            // As Response.text(): UTF-8, without a byte order mark.
            const decoded = Buffer.concat(chunks).toString('utf8')
            const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded
            const kept: UpstreamResponse['headers'] = {}
            for (const name of USAGE_HEADERS) {
              const value = res.headers[name]
              if (typeof value === 'string') kept[name] = value
            }
            settle(() => resolve({ status: res.statusCode ?? 0, text, headers: kept }))
          })
        })
        req.end(body)
      }
      attempt(true)
    })
  }
}

interface Target {
  protocol: string
  /** What `http.request` needs of the URL: host, port and path (as Node's urlToHttpOptions gives them). */
  options: { protocol: string; hostname: string; port?: number; path: string; auth?: string }
}

/** A query URL parsing leaves as it is: printable ASCII, none of `"#<>'` (WHATWG URL's query percent-encode set). */
const PLAIN_QUERY = /^[\x21\x24-\x26\x28-\x3b\x3d\x3f-\x7e]*$/
/** The URLs before their query are few (IG_TOKEN_URL, and IG_GRAPH_URL with a handful of paths); this bounds the cache anyway. */
const MAX_CACHED = 64

/**
 * `url` as `http.request` options. What comes before the query is parsed by WHATWG URL once and
 * remembered; a plain query (what URLSearchParams writes) is appended as it is. Any other URL is
 * parsed in full, as before. Parsing every URL of every call (and Node converting the URL object
 * into options) was about a twentieth of the server's CPU per `POST /token` (BENCHMARKS.md, row 8).
 */
function targetCache(): (url: string) => Target {
  const byPrefix = new Map<string, Target>()
  const parse = (url: string): Target => {
    const parsed = new URL(url)
    const hostname = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname
    const options: Target['options'] = { protocol: parsed.protocol, hostname, path: `${parsed.pathname}${parsed.search}` }
    if (parsed.port !== '') options.port = Number(parsed.port)
    if (parsed.username !== '' || parsed.password !== '') options.auth = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`
    return { protocol: parsed.protocol, options }
  }
  return (url) => {
    const mark = url.indexOf('?')
    const prefix = mark === -1 ? url : url.slice(0, mark)
    // As URL's `search`: an empty query is none.
    const query = mark === -1 || mark === url.length - 1 ? '' : url.slice(mark)
    if (query !== '' && !PLAIN_QUERY.test(query)) return parse(url)
    let base = byPrefix.get(prefix)
    if (base === undefined) {
      // After a fragment, the query is not one: parsed whole, as before (and not cached).
      if (prefix.includes('#')) return parse(url)
      base = parse(prefix)
      if (byPrefix.size < MAX_CACHED) byPrefix.set(prefix, base)
    }
    return query === '' ? base : { protocol: base.protocol, options: { ...base.options, path: base.options.path + query } }
  }
}
