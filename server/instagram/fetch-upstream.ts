import type { Upstream, UpstreamResponse } from './client'
import { USAGE_HEADERS } from './usage'

/** A fetch function: the global one, Workers', or a test's stand-in. */
export type Fetch = (input: string, init: RequestInit) => Promise<Pick<Response, 'status' | 'text'> & { headers?: Pick<Headers, 'get'> }>

/**
 * The client's upstream over a fetch function (Workers, and tests that inject one): the timeout
 * is an AbortController the timer fires, covering the answer's body too.
 * Not AbortSignal.timeout: its timer outlives the call by the whole timeout.
 */
export function fetchUpstream(fetchImpl: Fetch): Upstream {
  return async (url, { method, headers, body, timeoutMs }) => {
    const timeout = new AbortController()
    const timer = setTimeout(() => timeout.abort(new DOMException('The upstream call timed out.', 'TimeoutError')), timeoutMs)
    try {
      // 'manual', not 'error': Workers' fetch refuses redirect: 'error'. The client refuses a 3xx.
      const response = await fetchImpl(url, { method: method ?? 'GET', headers, body, signal: timeout.signal, redirect: 'manual' })
      const kept: UpstreamResponse['headers'] = {}
      for (const name of USAGE_HEADERS) {
        const value = response.headers?.get(name)
        if (typeof value === 'string') kept[name] = value
      }
      return { status: response.status, text: await response.text(), headers: kept }
    } finally {
      clearTimeout(timer)
    }
  }
}
