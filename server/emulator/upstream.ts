import type { Context, MiddlewareHandler } from 'hono'
import { graphError, htmlPage, oauthError } from './errors'
import { NO_ANSWER_LIMIT_MS, sleep } from './faults'
import type { UpstreamEndpoint } from './faults'
import type { EmulatorState, UsageSetting } from './state'

/**
 * What every upstream endpoint (the token endpoint and Graph) goes through: the call is
 * recorded, latency and any pending fault applied, then the handler answers; Graph answers get
 * the usage headers the admin set.
 */
export function upstreamCall(state: EmulatorState, endpoint: UpstreamEndpoint): MiddlewareHandler {
  return async (c, next) => {
    state.recordCall({ endpoint, method: c.req.method, path: c.req.path })
    const signal = AbortSignal.any([c.req.raw.signal, state.closing])
    if (state.settings.latencyMs > 0) await sleep(state.settings.latencyMs, signal)
    const fault = state.faults.take(endpoint)
    // Graph answers, faults included, carry the usage headers the admin set; the token endpoint's do not.
    const graphAnswer = (response: Response) => (endpoint === 'token' ? response : withUsage(response, state.settings.usage))
    switch (fault?.kind) {
      case undefined:
        break
      case 'http500':
        return graphAnswer(graphError({
          message: 'An unexpected error has occurred. Please retry your request later.',
          code: 2,
          type: 'OAuthException',
          isTransient: true,
          status: 500,
        }))
      case 'non-json':
        return graphAnswer(new Response('<html>oops</html>', { status: 200, headers: { 'Content-Type': 'text/html; charset=UTF-8' } }))
      case 'html':
        return graphAnswer(htmlPage(fault.status ?? 500))
      case 'graph-error': {
        const e = fault.error ?? {}
        const response = graphError({
          message: e.message ?? 'An unknown error has occurred.',
          code: e.code ?? 1,
          subcode: e.error_subcode,
          type: e.type ?? 'IGApiException',
          isTransient: e.is_transient,
          status: fault.status ?? 400,
        })
        return graphAnswer(response)
      }
      case 'oauth-error': {
        const e = fault.error ?? {}
        return oauthError(e.message ?? 'An unknown error has occurred.', { code: e.code, type: e.type, status: fault.status })
      }
      case 'no-answer':
        // Hold the request until the client gives up, the emulator closes, or 5 minutes pass.
        await sleep(NO_ANSWER_LIMIT_MS, signal)
        return graphError({ message: 'No answer (emulated fault).', code: 2, status: 504, isTransient: true })
      case 'delay':
        await sleep(fault.delayMs, signal)
        break
      case 'drop-connection':
        // Instagram takes the request (a code is spent), then closes the kept-alive connection.
        await next()
        dropConnection(c)
        return new Response(null, { status: 500 })
    }
    await next()
    c.res = graphAnswer(c.res)
  }
}

/** Closes the client's socket without an answer (Node only; elsewhere the answer is a bare 500). */
function dropConnection(c: Context): void {
  const env = c.env as { incoming?: { socket?: { destroy(): void } } } | undefined
  env?.incoming?.socket?.destroy()
}

/** `X-App-Usage` and/or `X-Business-Use-Case-Usage` at the set level (INSTAGRAM-TODAY.md §8). */
function withUsage(response: Response, usage: UsageSetting | null): Response {
  if (usage === null) return response
  const headers = new Headers(response.headers)
  const values = { call_count: usage.level, total_cputime: usage.level, total_time: usage.level }
  if (usage.header !== 'business') headers.set('X-App-Usage', JSON.stringify(values))
  if (usage.header !== 'app') {
    headers.set(
      'X-Business-Use-Case-Usage',
      JSON.stringify({ '17841400000000001': [{ type: 'instagram', ...values, estimated_time_to_regain_access: usage.regainMinutes }] }),
    )
  }
  return new Response(response.body, { status: response.status, headers })
}
