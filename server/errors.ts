import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Every error code the API can answer with (SPEC "Server HTTP API" error table). */
export type ApiErrorCode =
  | 'invalid_request'
  | 'redirect_uri_not_allowed'
  | 'invalid_grant'
  | 'invalid_signed_request'
  | 'invalid_token'
  | 'permission_missing'
  | 'origin_not_allowed'
  | 'host_not_allowed'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'instagram_rate_limited'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'server_busy'
  | 'server_error'

const STATUS: Record<ApiErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  redirect_uri_not_allowed: 400,
  invalid_grant: 400,
  invalid_signed_request: 400,
  invalid_token: 401,
  permission_missing: 403,
  origin_not_allowed: 403,
  host_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  instagram_rate_limited: 429,
  upstream_error: 502,
  upstream_timeout: 504,
  server_busy: 503,
  server_error: 500,
}

export interface ErrorBody {
  error: ApiErrorCode
  error_description: string
}

/**
 * The one error type of the server: thrown anywhere, turned into
 * `{"error","error_description"}` with the code's status by `app.onError`.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly headers: Record<string, string>

  constructor(
    readonly code: ApiErrorCode,
    readonly description: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(`${code}: ${description}`, { cause: options.cause })
    this.name = 'ApiError'
    this.status = STATUS[code]
    this.headers = options.headers ?? {}
  }

  toBody(): ErrorBody {
    return { error: this.code, error_description: this.description }
  }
}

export function statusOf(code: ApiErrorCode): ContentfulStatusCode {
  return STATUS[code]
}
