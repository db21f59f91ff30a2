import type { ServerConfig } from '../config'
import { ApiError } from '../errors'
import { parseJsonKeepingBigInts } from '../lossless-json'
import { API_DEFAULTS, MEDIA_FIELDS } from './endpoints'
import { classifyError, quotable, readInstagramError } from './error-table'
import {
  processCodeExchange,
  processMedia,
  processProfile,
  processTokenGrant,
  type CallName,
} from './responses'
import type { LongLivedToken, MediaItem, Profile, ShortLivedToken } from './types'
import { readUsage, THROTTLED_AT, usageWarnings, type Usage, type UsageHeaders } from './usage'

/** One upstream HTTP call as the client makes it: a string body or none, redirects not followed. */
export interface UpstreamRequest {
  method?: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string
  /** The whole call, answer read, must finish within this; else it rejects with a `TimeoutError`. */
  timeoutMs: number
  /**
   * A later call of a request that already made one (the code exchange's follow-ups in
   * `/token`): ./concurrency counts it but never refuses it, so a spent code is not wasted on
   * `server_busy`.
   */
  followUp?: boolean
}

/** Per-call options of the client's methods. */
export interface CallOptions {
  followUp?: boolean
}

/** An upstream answer, read in full. A 3xx is returned as is, never followed. */
export interface UpstreamResponse {
  status: number
  text: string
  /** The usage headers of the answer, when present (./usage). */
  headers?: UsageHeaders
}

/**
 * How the client reaches Instagram: ./fetch-upstream over any fetch (Workers, tests), or
 * ./node-upstream on Node. Rejects with an error named `TimeoutError` on timeout, and with any
 * other error when the network fails.
 */
export type Upstream = (url: string, request: UpstreamRequest) => Promise<UpstreamResponse>

/** What a call sent: the values a log line must never show (the secret, a token, a code). */
type Secrets = readonly string[]

interface Answer {
  status: number
  body: unknown
  usage: Usage | undefined
}

/**
 * The upstream client: one function per Instagram call. Each builds its request, sends it
 * through the injected upstream with the configured timeout, and hands the answer to the pure
 * processing step in ./responses. URLs carry the secret or a token in their query string, so
 * neither URLs nor upstream error details are ever put into an ApiError.
 *
 * Every failed call logs one line (SPEC "Server HTTP API"): the call (exchange, long-lived,
 * refresh, profile, media), the HTTP status, and Instagram's `code`, `error_subcode`, `type`,
 * `fbtrace_id` and message, with the secret, token or code of the call cut out of it. Every
 * answer's usage headers feed the once-a-minute warning at 80 %.
 */
export function createInstagramClient(config: ServerConfig, upstream: Upstream, log: (line: string) => void = () => undefined) {
  const warnUsage = usageWarnings(log)
  // The query as URLSearchParams writes it, appended to the configured base: no URL object per call.
  const graph = (path: string, params: Record<string, string>, versioned: boolean): string => {
    const version = versioned && config.graphVersion ? `/${config.graphVersion}` : ''
    return `${config.graphUrl}${version}${path}?${new URLSearchParams(params)}`
  }

  const failed = (call: CallName, what: string) => log(`upstream ${call} failed: ${what}`)

  async function send(call: CallName, url: string, request: Omit<UpstreamRequest, 'timeoutMs'>): Promise<Answer> {
    let response: UpstreamResponse
    try {
      response = await upstream(url, { ...request, timeoutMs: config.upstreamTimeoutMs })
    } catch (error) {
      // The upstream's own refusal (./concurrency: server_busy) passes as it is.
      if (error instanceof ApiError) throw error
      if (error instanceof Error && error.name === 'TimeoutError') {
        failed(call, `no answer within ${config.upstreamTimeoutMs} ms`)
        throw new ApiError('upstream_timeout', `Instagram did not answer within ${config.upstreamTimeoutMs} ms; try again in a moment.`)
      }
      const code = networkCode(error)
      if (NOT_SENT.has(code)) failed(call, `not reached (${code}): the request was not sent`)
      // A reset can come after Instagram read the request: for the exchange, the code may be spent.
      else failed(call, `no answer (${code}): the connection closed before an answer${call === 'exchange' ? ' (the code may be spent)' : ''}`)
      throw new ApiError('upstream_error', 'Instagram could not be reached, or closed the connection without answering; try again in a moment.')
    }
    const usage = response.headers === undefined ? undefined : readUsage(response.headers)
    warnUsage(usage)
    if (response.status >= 300 && response.status < 400) {
      failed(call, `HTTP ${response.status} (a redirect)`)
      throw new ApiError('upstream_error', `Instagram answered with a redirect (HTTP ${response.status}) instead of JSON; check IG_TOKEN_URL and IG_GRAPH_URL.`)
    }
    let body: unknown
    try {
      body = parseJsonKeepingBigInts(response.text)
    } catch {
      // A refusal with a usage header at 100 is throttling whatever its body (SPEC): ./responses says so.
      if (response.status >= 400 && usage !== undefined && usage.highest >= THROTTLED_AT) return { status: response.status, body: undefined, usage }
      failed(call, `HTTP ${response.status}, a body that is not JSON`)
      if (response.status >= 500) throw new ApiError('upstream_error', `Instagram is having trouble (HTTP ${response.status}); try again in a moment.`)
      if (response.status >= 400) {
        throw new ApiError('upstream_error', `Instagram answered HTTP ${response.status} with a page that is not JSON; check IG_TOKEN_URL and IG_GRAPH_URL.`)
      }
      throw new ApiError('upstream_error', 'Instagram answered with something that is not JSON; try again in a moment.')
    }
    return { status: response.status, body, usage }
  }

  /** Processes an answer, logging a refusal or an unexpected answer (without the call's secrets). */
  function finish<T>(call: CallName, a: Answer, secrets: Secrets, process: (a: Answer) => T): T {
    try {
      return process(a)
    } catch (error) {
      if (a.status >= 400) failed(call, describeRefusal(a, secrets))
      else failed(call, `HTTP ${a.status}, an unexpected JSON shape`)
      throw error
    }
  }

  async function answer<T>(call: CallName, url: string, request: Omit<UpstreamRequest, 'timeoutMs'>, secrets: Secrets, process: (a: Answer) => T): Promise<T> {
    return finish(call, await send(call, url, request), secrets, process)
  }

  return {
    /** `POST /oauth/access_token`: the authorization code for a short-lived token. Never retried. */
    async exchangeCode(code: string, redirectUri: string): Promise<ShortLivedToken> {
      const form = new URLSearchParams({
        client_id: config.clientId,
        client_secret: config.clientSecret,
        grant_type: 'authorization_code',
        redirect_uri: redirectUri,
        code,
      })
      const request = {
        method: 'POST' as const,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      }
      return answer('exchange', config.tokenUrl, request, [config.clientSecret, code], (a) => processCodeExchange(a.status, a.body, a.usage))
    },

    /** `GET /access_token?grant_type=ig_exchange_token`: the 60-day token (unversioned path). */
    async exchangeForLongLived(shortLivedToken: string, options: CallOptions = {}): Promise<LongLivedToken> {
      const url = graph('/access_token', {
        grant_type: 'ig_exchange_token',
        client_secret: config.clientSecret,
        access_token: shortLivedToken,
      }, false)
      return answer('long-lived', url, { headers: { accept: 'application/json' }, ...options }, [config.clientSecret, shortLivedToken], (a) =>
        processTokenGrant(a.status, a.body, 'long-lived', a.usage),
      )
    },

    /** `GET /refresh_access_token?grant_type=ig_refresh_token` (unversioned path). */
    async refresh(longLivedToken: string): Promise<LongLivedToken> {
      const url = graph('/refresh_access_token', { grant_type: 'ig_refresh_token', access_token: longLivedToken }, false)
      return answer('refresh', url, { headers: { accept: 'application/json' } }, [config.clientSecret, longLivedToken], (a) =>
        processTokenGrant(a.status, a.body, 'refresh', a.usage),
      )
    },

    /**
     * `GET /me`. When Instagram refuses it with code 100 (a field not available for this
     * account: the whole call fails, INSTAGRAM-TODAY.md §4), it is asked again with the minimal
     * fields before failing.
     */
    async profile(accessToken: string, options: CallOptions = {}): Promise<Profile> {
      const defaults = API_DEFAULTS[config.api]
      const secrets = [config.clientSecret, accessToken]
      const ask = (fields: readonly string[]) => send('profile', graph('/me', { fields: fields.join(',') }, true), { headers: bearer(accessToken), ...options })
      const process = (a: Answer) => processProfile(a.status, a.body, a.usage)
      const first = await ask(defaults.profileFields)
      if (first.status >= 400 && classifyError(readInstagramError(first.status, first.body), first.usage) === 'bad_request') {
        failed('profile', `${describeRefusal(first, secrets)}; asking again with the minimal fields`)
        return finish('profile', await ask(defaults.minimalProfileFields), secrets, process)
      }
      return finish('profile', first, secrets, process)
    },

    /** `GET /me/media?limit=N`: at most N items, newest first. */
    async media(accessToken: string, limit: number): Promise<MediaItem[]> {
      const url = graph('/me/media', { fields: MEDIA_FIELDS.join(','), limit: String(limit) }, true)
      return answer('media', url, { headers: bearer(accessToken) }, [config.clientSecret, accessToken], (a) => processMedia(a.status, a.body, limit, a.usage))
    },
  }
}

export type InstagramClient = ReturnType<typeof createInstagramClient>

/** Graph accepts the token as a bearer header, which keeps it out of URLs (and proxy logs). */
function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}`, accept: 'application/json' }
}

/** The log line's detail for a refused answer: status and Instagram's fields, secrets cut out. */
function describeRefusal(a: Answer, secrets: Secrets): string {
  const error = readInstagramError(a.status, a.body)
  const parts = [`HTTP ${a.status}`]
  const token = (value: string) => value.replace(/[^\w.:/+=-]/g, '?').slice(0, 64)
  if (error.code !== undefined) parts.push(`code=${error.code}`)
  if (error.error_subcode !== undefined) parts.push(`error_subcode=${error.error_subcode}`)
  if (error.type !== undefined) parts.push(`type=${token(error.type)}`)
  if (error.is_transient === true) parts.push('is_transient=true')
  if (error.fbtrace_id !== undefined) parts.push(`fbtrace_id=${token(error.fbtrace_id)}`)
  if (a.usage !== undefined) parts.push(`usage=${a.usage.highest}%`)
  let message = quotable(error.message)
  if (message !== undefined) {
    for (const secret of secrets) if (secret.length >= 4) message = message.split(secret).join('[redacted]')
    parts.push(`message=${JSON.stringify(message)}`)
  }
  return parts.join(' ')
}

/** A network failure's code (ECONNRESET, ECONNREFUSED…), never its message (it may quote the URL). */
/**
 * Network error codes raised before any byte of a request could reach Instagram: the name did
 * not resolve, nothing accepted the connection, or TLS refused the certificate. After these a
 * code is known not to be spent; after any other (a reset, a closed socket) it may be.
 */
const NOT_SENT: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

function networkCode(error: unknown): string {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code
    current = current.cause
  }
  return 'network error'
}
