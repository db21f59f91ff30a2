/**
 * Replies are data, not exceptions: error classes do not survive extension messaging, and a
 * `{ ok: false }` branch forces every caller to decide what the user sees.
 */
export interface ErrorInfo {
  /** A stable machine code: one of `ErrorCode` or a code the server sent. */
  code: string
  /** One sentence for logs and the details line; the user-facing text comes from errors.ts. */
  message: string
  /** The server's `Retry-After`, in seconds, when it sent one (429 `rate_limited`, `instagram_rate_limited`). */
  retryAfter?: number
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo }

export const ok = <T>(data: T): Result<T> => ({ ok: true, data })

export const fail = (code: string, message: string, extra: Pick<ErrorInfo, 'retryAfter'> = {}): { ok: false; error: ErrorInfo } => ({
  ok: false,
  error: extra.retryAfter === undefined ? { code, message } : { code, message, retryAfter: extra.retryAfter },
})

export const isErrorInfo = (value: unknown): value is ErrorInfo =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ErrorInfo).code === 'string' &&
  typeof (value as ErrorInfo).message === 'string'
