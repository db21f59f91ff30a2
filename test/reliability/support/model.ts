import { METHODS } from 'node:http'
import { MAX_BODY_BYTES, ROUTES } from './oracle'

/**
 * What the SPEC says the server must answer to one request, as the set of acceptable outcomes
 * (`200`, `204`, `<status> <error>`). It follows SPEC's rules in the order a request meets them:
 * Origin, path and method, body size, media type, body, fields, redirect allow-list, Instagram.
 * Returns undefined when the request is too odd to predict exactly (an unnormalised path, a
 * broken multipart body); those answers are still held to the contract by the oracle.
 */

export interface ModelRequest {
  method: string
  target: string
  headers: Record<string, string | string[]>
  body?: Buffer
}

export interface ModelContext {
  allowedOrigins: readonly string[]
  allowedRedirectUris: readonly string[]
  /** Codes the emulator issued and nobody used yet, with the redirect URI each was issued for. */
  realCodes: ReadonlyMap<string, string>
  /** Live long-lived tokens (less than 24 h old: /me works, /refresh is refused as too young). */
  realTokens: ReadonlySet<string>
  validSignedRequests: ReadonlySet<string>
  validConfirmationCodes: ReadonlySet<string>
  /** An emulator fault is armed for this request. */
  faulted: boolean
  /** The multipart body was built well-formed by the test (else its parse is not predicted). */
  wellFormedMultipart: boolean
}

const EXTENSION_SCHEMES = new Set(['chrome-extension:', 'moz-extension:', 'safari-web-extension:', 'ms-browser-extension:'])
/** RFC 6750 §2.1 b64token: the syntax of an access token, in a header or a body. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const CLEAN_PATH = /^\/[A-Za-z0-9\-_~/]*$/
const UPSTREAM = ['502 upstream_error', '504 upstream_timeout']

/** A header as the Fetch API joins it (node-server hands the app raw repeated headers joined). */
function headerValue(headers: ModelRequest['headers'], name: string): string | undefined {
  const value = headers[name]
  if (value === undefined) return undefined
  // HTTP strips optional whitespace around field values.
  const trim = (v: string) => v.replace(/^[ \t]+|[ \t]+$/g, '')
  return Array.isArray(value) ? value.map(trim).join(', ') : trim(value)
}

const mediaType = (req: ModelRequest) => (headerValue(req.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
const bodyText = (req: ModelRequest) => new TextDecoder().decode(req.body ?? new Uint8Array())

type Field = { ok: true; value: string } | { ok: false }
function requireString(body: Record<string, unknown>, name: string, max: number): Field {
  const value = body[name]
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) return { ok: false }
  return { ok: true, value }
}

function jsonObject(req: ModelRequest): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(bodyText(req))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export function predict(req: ModelRequest, ctx: ModelContext): string[] | undefined {
  // A method the HTTP parser does not know is malformed HTTP: refused before the app sees it.
  if (!METHODS.includes(req.method)) return ['400 invalid_request']
  const origin = headerValue(req.headers, 'origin')
  if (origin !== undefined) {
    if (ctx.allowedOrigins.includes(origin)) {
      if (req.method === 'OPTIONS') return ['204']
    } else {
      let scheme: string | undefined
      try {
        scheme = new URL(origin).protocol
      } catch {
        scheme = undefined
      }
      if (scheme === undefined || !EXTENSION_SCHEMES.has(scheme)) return ['403 origin_not_allowed']
    }
  }

  const queryAt = req.target.indexOf('?')
  const path = queryAt === -1 ? req.target : req.target.slice(0, queryAt)
  const query = new URLSearchParams(queryAt === -1 ? '' : req.target.slice(queryAt + 1))
  if (!CLEAN_PATH.test(path)) return undefined
  const methods = ROUTES[path]
  if (!methods) return ['404 not_found']
  if (!methods.includes(req.method)) return ['405 method_not_allowed']

  const size = req.body?.length ?? 0
  const withFaults = (outcomes: string[]) => (ctx.faulted ? [...outcomes, ...UPSTREAM] : outcomes)

  switch (path) {
    case '/health':
    case '/config':
      return ['200']

    case '/token': {
      if (size > MAX_BODY_BYTES) return ['413 payload_too_large']
      if (mediaType(req) !== 'application/json') return ['415 unsupported_media_type']
      const body = jsonObject(req)
      if (!body) return ['400 invalid_request']
      const code = requireString(body, 'code', 2048)
      const redirect = requireString(body, 'redirect_uri', 2048)
      if (!code.ok || !redirect.ok) return ['400 invalid_request']
      if (!ctx.allowedRedirectUris.includes(redirect.value)) return ['400 redirect_uri_not_allowed']
      const stripped = code.value.replace(/#_?$/, '')
      // SPEC: a field that is empty is invalid_request; the `#_` suffix is not part of the code.
      if (stripped.trim() === '') return ['400 invalid_request']
      const issuedFor = ctx.realCodes.get(stripped)
      return withFaults([issuedFor === redirect.value ? '200' : '400 invalid_grant'])
    }

    case '/refresh': {
      if (size > MAX_BODY_BYTES) return ['413 payload_too_large']
      if (mediaType(req) !== 'application/json') return ['415 unsupported_media_type']
      const body = jsonObject(req)
      if (!body) return ['400 invalid_request']
      const token = requireString(body, 'access_token', 4096)
      if (!token.ok || !B64TOKEN.test(token.value)) return ['400 invalid_request']
      return withFaults([ctx.realTokens.has(token.value) ? '400 invalid_grant' : '401 invalid_token'])
    }

    case '/me':
    case '/me/media': {
      const match = BEARER.exec(headerValue(req.headers, 'authorization') ?? '')
      if (!match || match[1]!.length > 4096) return ['401 invalid_token']
      if (path === '/me/media') {
        const limit = query.get('limit')
        if (limit !== null && !(/^\d{1,3}$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100)) return ['400 invalid_request']
      }
      return withFaults([ctx.realTokens.has(match[1]!) ? '200' : '401 invalid_token'])
    }

    case '/instagram/deauthorize':
    case '/instagram/data-deletion': {
      if (size > MAX_BODY_BYTES) return ['413 payload_too_large']
      const type = mediaType(req)
      if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') return ['415 unsupported_media_type']
      if (type === 'multipart/form-data') {
        if (!ctx.wellFormedMultipart) return ['400 invalid_request', '400 invalid_signed_request', '200']
        // Well-formed multipart carries the same fields as its urlencoded twin; checked below.
      }
      const values =
        type === 'multipart/form-data' ? multipartFields(req, 'signed_request') : new URLSearchParams(bodyText(req)).getAll('signed_request')
      if (values === undefined) return ['400 invalid_request', '400 invalid_signed_request', '200']
      if (values.length !== 1 || values[0] === '') return ['400 invalid_request']
      return [ctx.validSignedRequests.has(values[0]!) ? '200' : '400 invalid_signed_request']
    }

    case '/instagram/deletion': {
      const code = query.get('code')
      if (!code) return ['400 invalid_request']
      return [ctx.validConfirmationCodes.has(code) ? '200' : '404 not_found']
    }
  }
  return undefined
}

/** The string values of one field of a multipart body the test built (file parts count as not strings). */
function multipartFields(req: ModelRequest, name: string): string[] | undefined {
  const boundary = /boundary=([^;]+)/.exec(headerValue(req.headers, 'content-type') ?? '')?.[1]
  if (!boundary) return undefined
  const text = bodyText(req)
  // Node 20's multipart parser (undici 6) refuses a body in which the boundary string occurs
  // anywhere but in delimiters (nodejs/undici#5561), so such a body is not predicted.
  if (text.split(boundary).length - 1 !== text.split(`--${boundary}`).length - 1) return undefined
  const values: string[] = []
  for (const part of text.split(`--${boundary}`)) {
    const head = /^\r\nContent-Disposition: form-data; name="([^"]*)"(; filename="[^"]*")?\r\n(?:[^\r\n]+\r\n)*\r\n/.exec(part)
    if (!head || head[1] !== name) continue
    values.push(head[2] ? '\u0000file' : part.slice(head[0].length, -2))
  }
  return values.filter((v) => v !== '\u0000file').length === values.length ? values : values.map(() => '')
}

/**
 * `predict` for a request sent with node:http. Its client writes header values as Latin-1 when
 * it sends headers and body together, but as UTF-8 when it flushes the headers alone (with an
 * `Expect` header, for one), so a value with characters above 0x7F can reach the server either
 * way: both readings are acceptable.
 */
export function predictAsSent(req: ModelRequest, ctx: ModelContext): string[] | undefined {
  const asLatin1 = predict(req, ctx)
  const nonAscii = Object.values(req.headers).some((v) => /[^\x00-\x7f]/.test(Array.isArray(v) ? v.join('') : v))
  if (!nonAscii || asLatin1 === undefined) return asLatin1
  const utf8 = (v: string) => Buffer.from(v, 'utf8').toString('latin1')
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(utf8) : utf8(v)]))
  const asUtf8 = predict({ ...req, headers }, ctx)
  return asUtf8 === undefined ? undefined : [...new Set([...asLatin1, ...asUtf8])]
}
