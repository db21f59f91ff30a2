import type { ServerConfig } from '../config'
import { ApiError } from '../errors'
import { parseJsonKeepingBigInts } from '../lossless-json'
import { API_DEFAULTS, MEDIA_FIELDS } from './endpoints'
import {
  processCodeExchange,
  processMedia,
  processProfile,
  processTokenGrant,
} from './responses'
import type { LongLivedToken, MediaItem, Profile, ShortLivedToken } from './types'

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
}

/**
 * How the client reaches Instagram: ./fetch-upstream over any fetch (Workers, tests), or
 * ./node-upstream on Node. Rejects with an error named `TimeoutError` on timeout, and with any
 * other error when the network fails.
 */
export type Upstream = (url: string, request: UpstreamRequest) => Promise<UpstreamResponse>

/**
 * The upstream client: one function per Instagram call. Each builds its request, sends it
 * through the injected upstream with the configured timeout, and hands the answer to the pure
 * processing step in ./responses. URLs carry the secret or a token in their query string, so
 * neither URLs nor upstream error details are ever put into an ApiError or a log line.
 */
export function createInstagramClient(config: ServerConfig, upstream: Upstream) {
  const graph = (path: string, params: Record<string, string>, versioned: boolean): string => {
    const version = versioned && config.graphVersion ? `/${config.graphVersion}` : ''
    const url = new URL(`${config.graphUrl}${version}${path}`)
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    return url.toString()
  }

  async function call(url: string, request: Omit<UpstreamRequest, 'timeoutMs'>): Promise<{ status: number; body: unknown }> {
    let response: UpstreamResponse
    try {
      response = await upstream(url, { ...request, timeoutMs: config.upstreamTimeoutMs })
    } catch (error) {
      // The upstream's own refusal (./concurrency: server_busy) passes as it is.
      if (error instanceof ApiError) throw error
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new ApiError('upstream_timeout', `Instagram did not answer within ${config.upstreamTimeoutMs} ms; try again in a moment.`)
      }
      throw new ApiError('upstream_error', 'Instagram could not be reached; try again in a moment.')
    }
    if (response.status >= 300 && response.status < 400) {
      throw new ApiError('upstream_error', `Instagram answered with a redirect (HTTP ${response.status}) instead of JSON; check IG_TOKEN_URL and IG_GRAPH_URL.`)
    }
    if (response.status >= 500) {
      throw new ApiError('upstream_error', `Instagram is having trouble (HTTP ${response.status}); try again in a moment.`)
    }
    try {
      return { status: response.status, body: parseJsonKeepingBigInts(response.text) }
    } catch {
      throw new ApiError('upstream_error', 'Instagram answered with something that is not JSON; try again in a moment.')
    }
  }

  return {
    /** `POST /oauth/access_token`: the authorization code for a short-lived token. */
    async exchangeCode(code: string, redirectUri: string): Promise<ShortLivedToken> {
      const form = new URLSearchParams({
        client_id: config.clientId,
        client_secret: config.clientSecret,
        grant_type: 'authorization_code',
        redirect_uri: redirectUri,
        code,
      })
      const { status, body } = await call(config.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      })
      return processCodeExchange(status, body)
    },

    /** `GET /access_token?grant_type=ig_exchange_token`: the 60-day token. */
    async exchangeForLongLived(shortLivedToken: string, options: CallOptions = {}): Promise<LongLivedToken> {
      const url = graph('/access_token', {
        grant_type: 'ig_exchange_token',
        client_secret: config.clientSecret,
        access_token: shortLivedToken,
      }, false)
      const { status, body } = await call(url, { headers: { accept: 'application/json' }, ...options })
      return processTokenGrant(status, body, 'long-lived')
    },

    /** `GET /refresh_access_token?grant_type=ig_refresh_token`. */
    async refresh(longLivedToken: string): Promise<LongLivedToken> {
      const url = graph('/refresh_access_token', { grant_type: 'ig_refresh_token', access_token: longLivedToken }, false)
      const { status, body } = await call(url, { headers: { accept: 'application/json' } })
      return processTokenGrant(status, body, 'refresh')
    },

    async profile(accessToken: string, options: CallOptions = {}): Promise<Profile> {
      const fields = API_DEFAULTS[config.api].profileFields.join(',')
      const url = graph('/me', { fields }, true)
      const { status, body } = await call(url, { headers: bearer(accessToken), ...options })
      return processProfile(status, body)
    },

    async media(accessToken: string, limit: number): Promise<MediaItem[]> {
      const url = graph('/me/media', { fields: MEDIA_FIELDS.join(','), limit: String(limit) }, true)
      const { status, body } = await call(url, { headers: bearer(accessToken) })
      return processMedia(status, body)
    },
  }
}

export type InstagramClient = ReturnType<typeof createInstagramClient>

/** Graph accepts the token as a bearer header, which keeps it out of URLs (and proxy logs). */
function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}`, accept: 'application/json' }
}
