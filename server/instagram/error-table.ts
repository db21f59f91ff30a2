import { THROTTLED_AT, type Usage } from './usage'

/**
 * Instagram's errors, read and classified in one place (SPEC "What Instagram really sends" and
 * the error table; INSTAGRAM-TODAY.md §7; https://developers.facebook.com/docs/graph-api/guides/error-handling).
 * The meaning is in `code`, whatever `type` says (`OAuthException` or `IGApiException`) and
 * whether or not `error_subcode` is there.
 */

/** An error answer of Instagram, from either wire shape. */
export interface InstagramError {
  /** HTTP status of the answer. */
  status: number
  /** `error.code` (Graph) or `code` (the token endpoint's flat shape). */
  code?: number
  error_subcode?: number
  /** `error.type` or `error_type`. */
  type?: string
  /** `error.message`, `error_message` or `error_description`. */
  message?: string
  is_transient?: boolean
  fbtrace_id?: string
}

/** What an error means for the caller. */
export type ErrorClass = 'throttled' | 'invalid_token' | 'permission_missing' | 'credentials' | 'temporary' | 'bad_request' | 'other'

interface Row {
  readonly class: ErrorClass
  /** Single codes and inclusive ranges. */
  readonly codes: readonly (number | readonly [number, number])[]
  /** Also matches an answer carrying `"is_transient": true`. */
  readonly transient?: boolean
}

/**
 * The table, in order: the first row whose codes hold the answer's `code` wins. Throttling is
 * first because it wins over every other class (SPEC); a usage header at 100 on a refused answer
 * also makes it throttling (see classifyError).
 */
export const ERROR_TABLE: readonly Row[] = Object.freeze([
  { class: 'throttled', codes: [4, 17, 32, 613, [80000, 80099]] },
  { class: 'invalid_token', codes: [190, 102] },
  { class: 'permission_missing', codes: [10, [200, 299]] },
  // 101: "Error validating client secret" / invalid application id.
  { class: 'credentials', codes: [101] },
  { class: 'temporary', codes: [1, 2], transient: true },
  { class: 'bad_request', codes: [100] },
])

/** Messages that blame the app itself (its id, secret or platform app): never code 1 by itself. */
const CREDENTIALS_MESSAGE = /client[_ ]?secret|client[_ ]?id|app[_ ]?secret|app[_ ]?id|application id|platform app|invalid app\b/i

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/**
 * Reads Instagram's error from an answer's parsed body: the Graph shape
 * `{"error":{"message","type","code","error_subcode","is_transient","fbtrace_id"}}` or the token
 * endpoint's `{"error_type","code","error_message"}`. Fields that are missing or of the wrong type
 * are left out; a body of neither shape gives just the status.
 */
export function readInstagramError(status: number, body: unknown): InstagramError {
  const error: InstagramError = { status }
  if (!isObject(body)) return error
  const source = isObject(body.error) ? body.error : body
  const set = <K extends keyof InstagramError>(key: K, value: InstagramError[K] | undefined) => {
    if (value !== undefined) error[key] = value
  }
  set('code', num(source.code))
  set('error_subcode', num(source.error_subcode))
  set('type', str(source.type) ?? str(source.error_type))
  set('message', str(source.message) ?? str(source.error_message) ?? str(source.error_description) ?? (typeof body.error === 'string' ? body.error : undefined))
  if (source.is_transient === true) error.is_transient = true
  set('fbtrace_id', str(source.fbtrace_id))
  return error
}

function inCodes(code: number, codes: Row['codes']): boolean {
  return codes.some((c) => (typeof c === 'number' ? c === code : code >= c[0] && code <= c[1]))
}

/**
 * The class of a refused answer (HTTP ≥ 400). `usage` is what the answer's usage headers say:
 * at 100 it is throttling whatever else the answer says. A message naming the app's id, secret or
 * platform app is `credentials` unless the code says otherwise.
 */
export function classifyError(error: InstagramError, usage?: Usage): ErrorClass {
  if (usage !== undefined && usage.highest >= THROTTLED_AT) return 'throttled'
  const code = error.code
  const row = code === undefined ? undefined : ERROR_TABLE.find((r) => inCodes(code, r.codes))
  if (row !== undefined && (row.class === 'throttled' || row.class === 'invalid_token' || row.class === 'permission_missing')) return row.class
  if (CREDENTIALS_MESSAGE.test(error.message ?? '')) return 'credentials'
  if (error.is_transient === true) return 'temporary'
  return row?.class ?? 'other'
}

/** `Retry-After` in seconds for a throttled answer: the largest regain estimate, else 60. */
export function retryAfterSeconds(usage: Usage | undefined): number {
  return usage?.regainSeconds ?? 60
}

/** A permission name Instagram's message mentions, e.g. `instagram_business_basic`. */
export function permissionNamed(message: string | undefined): string | undefined {
  return /\b(instagram_[a-z_]+|user_profile|user_media)\b/.exec(message ?? '')?.[1]
}

/** Instagram's message as it may be quoted to a person or a log: one line, at most 200 characters. */
export function quotable(message: string | undefined): string | undefined {
  if (message === undefined) return undefined
  const line = message.replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim()
  if (line === '') return undefined
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}
