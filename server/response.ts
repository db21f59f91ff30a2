import { HTTPException } from 'hono/http-exception'
import { ApiError } from './errors'
import { MAX_BODY_BYTES } from './middleware/body'

/**
 * The headers of every API response (SPEC: JSON, `Cache-Control: no-store`), as a plain object:
 * @hono/node-server writes a plain object straight into the socket's head, where a Headers
 * object (what Hono's `c.header` and `c.json` with several headers build) is converted field by
 * field, about a fifth of a `GET /health`'s CPU time (BENCHMARKS.md, row 3).
 */
const NO_STORE: Readonly<Record<string, string>> = Object.freeze({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json', ...NO_STORE })

/** A JSON answer of the API. Every route and error answers through this. */
export function apiJson(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: headers ? { ...API_HEADERS, ...headers } : API_HEADERS })
}

/** An answer without a body (a CORS preflight's 204), with the headers every answer carries. */
export function apiEmpty(status: number, headers: Readonly<Record<string, string>>): Response {
  return new Response(null, { status, headers: { ...NO_STORE, ...headers } })
}

/** Any error thrown while answering, as the API's `{"error","error_description"}` response. */
export function errorResponse(error: unknown, log: (line: string) => void): Response {
  const apiError = toApiError(error, log)
  return apiJson(apiError.toBody(), apiError.status, apiError.headers)
}

function toApiError(error: unknown, log: (line: string) => void): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof HTTPException && error.status === 413) {
    return new ApiError('payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`)
  }
  if (error instanceof HTTPException && error.status === 400) {
    return new ApiError('invalid_request', 'The request could not be read.')
  }
  // The name only: messages of unexpected errors may quote input.
  log(`unexpected error: ${error instanceof Error ? error.name : typeof error}`)
  return new ApiError('server_error', 'Something went wrong on the exchange server; try again, and report it if it keeps happening.')
}
