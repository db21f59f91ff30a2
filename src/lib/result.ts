/**
 * Replies are data, not exceptions: error classes do not survive extension messaging, and a
 * `{ ok: false }` branch forces every caller to decide what the user sees.
 */
export interface ErrorInfo {
  /** A stable machine code: one of `ErrorCode` or a code the server sent. */
  code: string
  /** One sentence for logs and the details line; the user-facing text comes from errors.ts. */
  message: string
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo }

export const ok = <T>(data: T): Result<T> => ({ ok: true, data })

export const fail = (code: string, message: string): { ok: false; error: ErrorInfo } => ({
  ok: false,
  error: { code, message },
})

export const isErrorInfo = (value: unknown): value is ErrorInfo =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ErrorInfo).code === 'string' &&
  typeof (value as ErrorInfo).message === 'string'
