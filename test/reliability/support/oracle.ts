/**
 * The contract as an oracle, written from SPEC.md ("Server HTTP API") rather than from the
 * server's code: the documented statuses, which error code goes with which status, the error
 * shape, the success shapes, and the headers every answer carries.
 */

/** SPEC's error table. */
export const ERROR_STATUS: Readonly<Record<string, number>> = Object.freeze({
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
})

/** The API's paths and the methods that answer on them (HEAD wherever GET is). */
export const ROUTES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '/health': ['GET', 'HEAD'],
  '/config': ['GET', 'HEAD'],
  '/token': ['POST'],
  '/refresh': ['POST'],
  '/me': ['GET', 'HEAD'],
  '/me/media': ['GET', 'HEAD'],
  '/instagram/deauthorize': ['POST'],
  '/instagram/data-deletion': ['POST'],
  '/instagram/deletion': ['GET', 'HEAD'],
})

export const MAX_BODY_BYTES = 16 * 1024

/** Whether an outcome is among the expected ones; a HEAD outcome is a status and matches by it. */
export function outcomeExpected(outcome: string, expected: readonly string[]): boolean {
  return expected.some((e) => e === outcome || (/^\d{3}$/.test(outcome) && e.startsWith(`${outcome} `)))
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

export interface AskedFor {
  method: string
  /** The known route the request was for, when the test knows it. */
  route?: string
  origin?: string
}

export interface OracleOptions {
  /** ALLOWED_ORIGINS of the server under test. */
  allowedOrigins?: readonly string[]
  /** PUBLIC_URL, for the data-deletion link. */
  publicUrl?: string
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const header = (a: Answer, name: string): string | undefined => {
  const value = a.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * The outcome as one short string: `200`, `204` or `<status> <error>`; `<status> ?` when the body
 * is unreadable. A HEAD answer has no body, so its outcome is its status alone.
 */
export function outcomeOf(answer: Answer, method = 'GET'): string {
  if (answer.status < 400 || method === 'HEAD') return String(answer.status)
  try {
    const body = JSON.parse(answer.text) as { error?: unknown }
    return `${answer.status} ${typeof body.error === 'string' ? body.error : '?'}`
  } catch {
    return `${answer.status} ?`
  }
}

/**
 * Everything about this answer that breaks the contract, as readable lines; empty when it keeps
 * it. Does not judge *which* documented answer is right: the suites' models do that.
 */
export function contractViolations(asked: AskedFor, answer: Answer, options: OracleOptions = {}): string[] {
  const problems: string[] = []
  const allowed = new Set(options.allowedOrigins ?? [])
  const { status } = answer

  if (status === 500) problems.push('500: an unexpected error reached the client')
  const documented = status === 200 || status === 204 || Object.values(ERROR_STATUS).includes(status)
  if (!documented) problems.push(`status ${status} is not in the contract`)
  if (status === 204 && !(asked.method === 'OPTIONS' && asked.origin !== undefined && allowed.has(asked.origin))) {
    problems.push('204 outside a CORS preflight from an allowed origin')
  }
  if (header(answer, 'cache-control') !== 'no-store') problems.push(`Cache-Control is ${JSON.stringify(header(answer, 'cache-control'))}, not no-store`)
  const acao = header(answer, 'access-control-allow-origin')
  if (acao !== undefined && (acao === '*' || acao !== asked.origin || !allowed.has(acao))) {
    problems.push(`Access-Control-Allow-Origin: ${acao} for Origin ${JSON.stringify(asked.origin)}`)
  }
  if (header(answer, 'access-control-allow-credentials') !== undefined) problems.push('Access-Control-Allow-Credentials is set')

  if (asked.method === 'HEAD' || status === 204) {
    if (answer.text !== '') problems.push(`a ${asked.method} ${status} answer has a body`)
    return problems
  }
  if (!/^application\/json\b/.test(header(answer, 'content-type') ?? '')) problems.push(`Content-Type is ${JSON.stringify(header(answer, 'content-type'))}`)
  let body: unknown
  try {
    body = JSON.parse(answer.text)
  } catch {
    problems.push(`body is not JSON: ${JSON.stringify(answer.text.slice(0, 120))}`)
    return problems
  }

  if (status >= 400) {
    problems.push(...errorShapeViolations(status, body))
    if (status === 405 && !header(answer, 'allow')) problems.push('405 without Allow')
    if (status === 429 && !/^\d+$/.test(header(answer, 'retry-after') ?? '')) problems.push('429 without a Retry-After in seconds')
  } else if (status === 200) {
    const shapes = asked.route ? [asked.route] : Object.keys(SUCCESS)
    const fits = shapes.filter((route) => SUCCESS[route]!(body, options))
    if (fits.length === 0) problems.push(`200 body does not have the documented shape of ${shapes.join(' or ')}: ${JSON.stringify(answer.text.slice(0, 200))}`)
  }
  return problems
}

/** `{"error","error_description"}`: exactly these keys, a known code with its status, a sentence, no internals. */
export function errorShapeViolations(status: number, body: unknown): string[] {
  const problems: string[] = []
  if (!isObject(body)) return [`error body is not an object: ${JSON.stringify(body)}`]
  const keys = Object.keys(body).sort().join(',')
  if (keys !== 'error,error_description') problems.push(`error body keys are ${keys}`)
  // Own properties only: an answer's "constructor" or "__proto__" is no code of the table.
  if (!isString(body.error) || !Object.hasOwn(ERROR_STATUS, body.error)) problems.push(`unknown error code ${JSON.stringify(body.error)}`)
  else if (ERROR_STATUS[body.error] !== status) problems.push(`${body.error} came with ${status}, not ${ERROR_STATUS[body.error]}`)
  const description = body.error_description
  if (!isString(description) || description.length < 10) problems.push('error_description is missing or too short to act on')
  else if (/\n\s+at |Error: |node_modules|\/server\/|TypeError|SyntaxError/.test(description)) problems.push(`error_description shows internals: ${description.slice(0, 160)}`)
  return problems
}

const isIdString = (v: unknown) => isString(v) && /^\d+$/.test(v)
const positiveInteger = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
const stringArray = (v: unknown) => Array.isArray(v) && v.every(isString)

function isProfile(v: unknown): boolean {
  if (!isObject(v) || !isIdString(v.id) || !isString(v.username)) return false
  for (const key of ['name', 'account_type', 'profile_picture_url']) if (v[key] !== undefined && !isString(v[key])) return false
  for (const key of ['media_count', 'followers_count', 'follows_count']) if (v[key] !== undefined && typeof v[key] !== 'number') return false
  return true
}

function isMediaItem(v: unknown): boolean {
  if (!isObject(v)) return false
  const known = ['id', 'media_type', 'media_url', 'permalink', 'thumbnail_url', 'caption', 'timestamp']
  return (
    Object.keys(v).every((k) => known.includes(k)) &&
    isString(v.id) &&
    isString(v.media_type) &&
    // Omitted for videos with licensed audio (SPEC "What Instagram really sends").
    (v.media_url === undefined || isString(v.media_url)) &&
    isString(v.permalink) &&
    isString(v.timestamp) &&
    (v.caption === undefined || isString(v.caption)) &&
    (v.thumbnail_url === undefined || isString(v.thumbnail_url))
  )
}

/** SPEC's success column, one check per path. */
export const SUCCESS: Readonly<Record<string, (body: unknown, options: OracleOptions) => boolean>> = Object.freeze({
  '/health': (b: unknown) => isObject(b) && Object.keys(b).length === 1 && b.status === 'ok',
  '/config': (b: unknown) =>
    isObject(b) &&
    Object.keys(b).sort().join(',') === 'api,authorize_url,client_id,redirect_uris,scope' &&
    (b.api === 'instagram-login' || b.api === 'basic-display') &&
    isString(b.client_id) &&
    isString(b.authorize_url) &&
    stringArray(b.scope) &&
    stringArray(b.redirect_uris),
  '/token': (b: unknown) =>
    isObject(b) &&
    isString(b.access_token) &&
    b.access_token !== '' &&
    b.token_type === 'bearer' &&
    positiveInteger(b.expires_in) &&
    isProfile(b.user) &&
    stringArray(b.permissions),
  '/refresh': (b: unknown) =>
    isObject(b) && Object.keys(b).sort().join(',') === 'access_token,expires_in,token_type' && isString(b.access_token) && isString(b.token_type) && positiveInteger(b.expires_in),
  '/me': isProfile,
  '/me/media': (b: unknown) => isObject(b) && Object.keys(b).join(',') === 'data' && Array.isArray(b.data) && b.data.every(isMediaItem),
  '/instagram/deauthorize': (b: unknown) => isObject(b) && Object.keys(b).length === 1 && b.status === 'ok',
  '/instagram/data-deletion': (b: unknown, options: OracleOptions) =>
    isObject(b) &&
    Object.keys(b).sort().join(',') === 'confirmation_code,url' &&
    isString(b.confirmation_code) &&
    b.confirmation_code !== '' &&
    isString(b.url) &&
    (options.publicUrl === undefined || b.url === `${options.publicUrl}/instagram/deletion?code=${b.confirmation_code}`),
  '/instagram/deletion': (b: unknown) => isObject(b) && isString(b.confirmation_code) && b.status === 'completed' && isString(b.requested_at),
})
