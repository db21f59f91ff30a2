import { ApiError } from '../errors'
import type { Upstream } from './client'

/**
 * `UPSTREAM_MAX_CONCURRENCY` (SPEC "Server configuration"): at most `max` calls to Instagram in
 * flight at once through this upstream (one per server process, or per isolate on Workers). A
 * call that would go beyond it is not made: it throws 503 `server_busy` with `Retry-After: 1`,
 * so a flood of made-up tokens costs the server a counter, not an Instagram call each. A
 * follow-up call of a request already under way (`request.followUp`) is counted, never refused.
 */
export function limitConcurrency(upstream: Upstream, max: number): Upstream {
  let inFlight = 0
  return async (url, request) => {
    if (inFlight >= max && request.followUp !== true) {
      throw new ApiError('server_busy', 'The server is handling as many Instagram calls as it allows at once; try again in a second.', {
        headers: { 'Retry-After': '1' },
      })
    }
    inFlight++
    try {
      return await upstream(url, request)
    } finally {
      inFlight--
    }
  }
}
