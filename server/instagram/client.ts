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

/** What the client reads of an upstream answer: a fetch Response is one. */
export interface UpstreamResponse {
  readonly status: number
  text(): Promise<string>
}

export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<UpstreamResponse>

/**
 * The upstream client: one function per Instagram call. Each builds its request, sends it
 * through the injected fetch with the configured timeout, and hands the answer to the pure
 * processing step in ./responses. URLs carry the secret or a token in their query string, so
 * neither URLs nor upstream error details are ever put into an ApiError or a log line.
 */
export function createInstagramClient(config: ServerConfig, fetchImpl: Fetch) {
  const graph = (path: string, params: Record<string, string>, versioned: boolean): string => {
    const version = versioned && config.graphVersion ? `/${config.graphVersion}` : ''
    const url = new URL(`${config.graphUrl}${version}${path}`)
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    return url.toString()
  }

  async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    let response: UpstreamResponse
    let text: string
    // Not AbortSignal.timeout: on Node 20 it costs three times as much, and its timer outlives
    // the call by UPSTREAM_TIMEOUT_MS (BENCHMARKS.md, row 1).
    const timeout = new AbortController()
    const timer = setTimeout(() => timeout.abort(new DOMException('The upstream call timed out.', 'TimeoutError')), config.upstreamTimeoutMs)
    try {
      // 'manual', not 'error': Workers' fetch refuses redirect: 'error'. A redirect is refused below.
      response = await fetchImpl(url, { ...init, signal: timeout.signal, redirect: 'manual' })
      text = await response.text()
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new ApiError('upstream_timeout', `Instagram did not answer within ${config.upstreamTimeoutMs} ms; try again in a moment.`)
      }
      throw new ApiError('upstream_error', 'Instagram could not be reached; try again in a moment.')
    } finally {
      clearTimeout(timer)
    }
    if (response.status >= 300 && response.status < 400) {
      throw new ApiError('upstream_error', `Instagram answered with a redirect (HTTP ${response.status}) instead of JSON; check IG_TOKEN_URL and IG_GRAPH_URL.`)
    }
    if (response.status >= 500) {
      throw new ApiError('upstream_error', `Instagram is having trouble (HTTP ${response.status}); try again in a moment.`)
    }
    try {
      return { status: response.status, body: parseJsonKeepingBigInts(text) }
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
    async exchangeForLongLived(shortLivedToken: string): Promise<LongLivedToken> {
      const url = graph('/access_token', {
        grant_type: 'ig_exchange_token',
        client_secret: config.clientSecret,
        access_token: shortLivedToken,
      }, false)
      const { status, body } = await call(url, { headers: { accept: 'application/json' } })
      return processTokenGrant(status, body, 'long-lived')
    },

    /** `GET /refresh_access_token?grant_type=ig_refresh_token`. */
    async refresh(longLivedToken: string): Promise<LongLivedToken> {
      const url = graph('/refresh_access_token', { grant_type: 'ig_refresh_token', access_token: longLivedToken }, false)
      const { status, body } = await call(url, { headers: { accept: 'application/json' } })
      return processTokenGrant(status, body, 'refresh')
    },

    async profile(accessToken: string): Promise<Profile> {
      const fields = API_DEFAULTS[config.api].profileFields.join(',')
      const url = graph('/me', { fields }, true)
      const { status, body } = await call(url, { headers: bearer(accessToken) })
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
