import fc from 'fast-check'
import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI } from '../../../server/extension-ids'
import { MAX_BODY_BYTES, ROUTES } from './oracle'

/**
 * Generators of HTTP requests for the fuzz suites. Values that must be real at send time (a
 * fresh authorization code, a live token, a correctly signed request) are placeholders here and
 * are filled in by the suite just before sending, because codes are single-use.
 */
export const REAL = Object.freeze({
  // Letters only, so that no encoding (JSON, URL, multipart) changes them on the way.
  chromeCode: 'zzREALzCODEzCHROMEzz',
  firefoxCode: 'zzREALzCODEzFIREFOXzz',
  token: 'zzREALzTOKENzz',
  signed: 'zzREALzSIGNEDzz',
  confirmation: 'zzREALzCONFIRMATIONzz',
})

export interface BodySpec {
  bytes: Buffer
  /** Content-Type header value(s) to send; undefined sends none. */
  contentType?: string | string[]
  /** Send without Content-Length (chunked). */
  chunked: boolean
  wellFormedMultipart: boolean
  label: string
}

export interface FuzzRequest {
  method: string
  target: string
  headers: Record<string, string | string[]>
  body?: BodySpec
  fault?: { kind: 'http500' | 'non-json' | 'no-answer' | 'delay'; match: 'token' | 'long-lived' | 'refresh' | 'profile' | 'media'; delay_ms?: number }
}

const KNOWN_PATHS = Object.keys(ROUTES)

// ---------- strings -------------------------------------------------------------------------

/** Strings a parser meets in the wild: empty, blank, unicode, control characters, long, very long. */
export const nastyString = (maxLength = 300): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '   ', '\t\n', '\u0000', '\u2028', '\uFEFF', '#_', '#', 'null', 'undefined', '__proto__', 'constructor', '%00', '\ud800', '😀'.repeat(3)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é', '😀', 'AQ'), fc.integer({ min: 1, max: maxLength })).map(([s, n]) => s.repeat(n)) },
  )

const tokenChars = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/'.split('')), minLength: 1, maxLength: 60 })

// ---------- JSON bodies ---------------------------------------------------------------------

const codeValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(REAL.chromeCode, `${REAL.chromeCode}#_`, REAL.firefoxCode, `${REAL.chromeCode}#`) },
  { weight: 3, arbitrary: tokenChars.map((s) => `AQ${s}`) },
  { weight: 2, arbitrary: nastyString(2100) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 })) },
)

const redirectValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI) },
  { weight: 1, arbitrary: fc.constantFrom(CHROME_REDIRECT_URI.replace(/\/$/, ''), `${CHROME_REDIRECT_URI} `, CHROME_REDIRECT_URI.toUpperCase(), `${CHROME_REDIRECT_URI}#_`, 'https://evil.example/') },
  { weight: 1, arbitrary: fc.webUrl() },
  { weight: 1, arbitrary: nastyString(2100) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.constant(CHROME_REDIRECT_URI), { maxLength: 2 })) },
)

const accessTokenValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(REAL.token) },
  { weight: 3, arbitrary: tokenChars.map((s) => `IGAA${s}`) },
  { weight: 2, arbitrary: nastyString(4200) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })) },
)

/** An object with the endpoint's fields (each possibly missing or of the wrong type) and extra keys. */
const fieldsObject = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      fc.boolean(),
    )
    .map(([known, extra, extraFirst]) => (extraFirst ? { ...extra, ...known } : { ...known, ...extra }))

/** JSON text in the ways a client can write it: plain, repeated keys, padded, prefixed, truncated. */
const jsonText = (value: fc.Arbitrary<unknown>) =>
  fc.tuple(value, fc.constantFrom('plain', 'pretty', 'repeated-keys', 'bom', 'trailing-garbage', 'truncated', 'whitespace'), fc.nat()).map(([v, style, n]) => {
    const plain = JSON.stringify(v) ?? 'null'
    switch (style) {
      case 'pretty':
        return JSON.stringify(v, null, 2) ?? 'null'
      case 'repeated-keys':
        // The same key twice: JSON.parse keeps the last one.
        return plain.startsWith('{') && plain.length > 2 ? `{"code":"first","access_token":"first","redirect_uri":1,${plain.slice(1)}` : plain
      case 'bom':
        return `\uFEFF${plain}`
      case 'trailing-garbage':
        return `${plain}}`
      case 'truncated':
        return plain.slice(0, n % Math.max(1, plain.length))
      case 'whitespace':
        return ` \n\t${plain}\r\n `
      default:
        return plain
    }
  })

const deepNesting = fc.integer({ min: 1, max: 8000 }).chain((depth) =>
  fc.constantFrom('[', '{"a":').map((open) => (open === '[' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
)

/** Around the 16 KiB limit, to the byte. */
const nearLimit = fc.integer({ min: -3, max: 3 }).map((delta) => {
  const prefix = '{"code":"'
  const suffix = `","redirect_uri":"${CHROME_REDIRECT_URI}"}`
  return prefix + 'x'.repeat(MAX_BODY_BYTES + delta - prefix.length - suffix.length) + suffix
})

const jsonBodyText = fc.oneof(
  { weight: 4, arbitrary: jsonText(fieldsObject({ code: codeValue, redirect_uri: redirectValue })) },
  { weight: 3, arbitrary: jsonText(fieldsObject({ access_token: accessTokenValue })) },
  { weight: 2, arbitrary: jsonText(fc.jsonValue({ maxDepth: 4 })) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: nearLimit },
  { weight: 1, arbitrary: fc.integer({ min: 17 * 1024, max: 40 * 1024 }).map((n) => JSON.stringify({ code: 'x'.repeat(n), redirect_uri: CHROME_REDIRECT_URI })) },
)

// ---------- form and multipart bodies ---------------------------------------------------------

const signedValue = fc.oneof(
  { weight: 3, arbitrary: fc.constant(REAL.signed) },
  { weight: 2, arbitrary: fc.tuple(tokenChars, tokenChars).map(([a, b]) => `${a}.${b}`) },
  { weight: 1, arbitrary: nastyString(200) },
)

const formPairs = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: signedValue.map((v) => ['signed_request', v] as [string, string]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('signed_request[]', 'Signed_Request', 'signed_request ', 'other', ''), signedValue) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })) },
  ),
  { maxLength: 4 },
)

const formBodyText = fc.oneof(
  { weight: 4, arbitrary: formPairs.map((pairs) => new URLSearchParams(pairs).toString()) },
  { weight: 1, arbitrary: fc.constantFrom('signed_request=%zz', 'signed_request', '&&&=', '=x', 'signed_request=a&signed_request=b', `signed_request=${REAL.signed}&signed_request=`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
)

function multipart(boundary: string, parts: [string, string, boolean][]): string {
  return (
    parts
      .map(([name, value, asFile]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${asFile ? '; filename="a.txt"\r\nContent-Type: text/plain' : ''}\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}--\r\n`
  )
}

const multipartBody: fc.Arbitrary<Omit<BodySpec, 'chunked'>> = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9]{1,30}$/),
    fc.array(fc.tuple(fc.constantFrom('signed_request', 'other'), signedValue.filter((v) => !/[\r\n"]/.test(v)), fc.boolean()), { maxLength: 3 }),
    fc.constantFrom('ok', 'no-boundary-param', 'wrong-boundary', 'truncated', 'no-final', 'garbage'),
    fc.nat(),
  )
  .map(([boundary, parts, breakage, n]) => {
    const good = multipart(boundary, parts)
    const type = `multipart/form-data; boundary=${boundary}`
    switch (breakage) {
      case 'no-boundary-param':
        return { bytes: Buffer.from(good), contentType: 'multipart/form-data', wellFormedMultipart: false, label: 'multipart/no-boundary' }
      case 'wrong-boundary':
        return { bytes: Buffer.from(good), contentType: `${type}x`, wellFormedMultipart: false, label: 'multipart/wrong-boundary' }
      case 'truncated':
        return { bytes: Buffer.from(good.slice(0, n % Math.max(1, good.length))), contentType: type, wellFormedMultipart: false, label: 'multipart/truncated' }
      case 'no-final':
        return { bytes: Buffer.from(good.replace(/--\r\n$/, '\r\n')), contentType: type, wellFormedMultipart: false, label: 'multipart/no-final' }
      case 'garbage':
        return { bytes: Buffer.from(`--${boundary}\r\n\r\n\r\n--${boundary}`), contentType: type, wellFormedMultipart: false, label: 'multipart/garbage' }
      default:
        return { bytes: Buffer.from(good), contentType: type, wellFormedMultipart: true, label: 'multipart' }
    }
  })

// ---------- content types and bodies ----------------------------------------------------------

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', ' application/json ;x=y') },
  { weight: 2, arbitrary: fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=x') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('text/plain', 'application/jsonp', 'application/json-patch+json', 'text/json', 'application', '*/*', ';', 'application/json\u00a0', 'application/x-www-form-urlencoded; charset=utf-16'),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz/;=+- '.split('')), maxLength: 30 }) },
)

const withChunking = (spec: fc.Arbitrary<Omit<BodySpec, 'chunked'>>): fc.Arbitrary<BodySpec> =>
  fc.tuple(spec, fc.boolean()).map(([body, chunked]) => ({ ...body, chunked }))

const jsonBody = (text: fc.Arbitrary<string>, label: string) =>
  fc.tuple(text, fc.option(contentType, { freq: 6, nil: undefined })).map(([t, type]) => ({ bytes: Buffer.from(t), contentType: type ?? 'application/json', wellFormedMultipart: false, label }))

const formBody = formBodyText.map((text) => ({ bytes: Buffer.from(text), contentType: 'application/x-www-form-urlencoded', wellFormedMultipart: false, label: 'form' }))

/** Any body at all: JSON of every kind, forms, multipart (good and broken), raw bytes, nothing. */
export const bodySpec: fc.Arbitrary<BodySpec> = withChunking(
  fc.oneof(
    { weight: 5, arbitrary: jsonBody(jsonBodyText, 'json') },
    { weight: 1, arbitrary: jsonBodyText.map((text) => ({ bytes: Buffer.from(text), contentType: ['application/json', 'application/json'], wellFormedMultipart: false, label: 'json/repeated-content-type' })) },
    { weight: 3, arbitrary: formBody },
    { weight: 2, arbitrary: multipartBody },
    { weight: 1, arbitrary: fc.tuple(fc.uint8Array({ maxLength: 2048 }), fc.option(contentType, { nil: undefined })).map(([bytes, type]) => ({ bytes: Buffer.from(bytes), contentType: type, wellFormedMultipart: false, label: 'bytes' })) },
    { weight: 1, arbitrary: fc.constant({ bytes: Buffer.alloc(0), contentType: 'application/json', wellFormedMultipart: false, label: 'empty' }) },
  ),
)

/** Mostly the body the path expects (so requests get past the first checks), sometimes any. */
function bodyFor(path: string): fc.Arbitrary<BodySpec | undefined> {
  const own =
    path === '/token'
      ? withChunking(jsonBody(jsonText(fieldsObject({ code: codeValue, redirect_uri: redirectValue })), 'json/token'))
      : path === '/refresh'
        ? withChunking(jsonBody(jsonText(fieldsObject({ access_token: accessTokenValue })), 'json/refresh'))
        : path.startsWith('/instagram/d')
          ? withChunking(fc.oneof(formBody, multipartBody))
          : undefined
  return fc.oneof(
    { weight: own ? 6 : 0, arbitrary: own ?? fc.constant(undefined) },
    { weight: 3, arbitrary: bodySpec },
    { weight: own ? 1 : 4, arbitrary: fc.constant(undefined) },
  )
}

/** Rarely: most requests must show the ordinary answers, a few the fault ones. */
const rarely = <T>(arb: fc.Arbitrary<T>, weight = 1, outOf = 10): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: outOf - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb })

// ---------- requests ------------------------------------------------------------------------

export const method = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('GET', 'POST', 'HEAD') },
  { weight: 3, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'PURGE', 'SEARCH', 'LOCK', 'M-SEARCH', 'FOO', 'get', 'Post') },
)

const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.constantFrom('limit', 'code', 'state', 'access_token', 'x'),
          fc.oneof(fc.constantFrom('1', '12', '100', '0', '101', '-1', '1.5', 'abc', '', '007', '1e1', ' 1', '١', '1000', REAL.confirmation), fc.string({ maxLength: 20 })),
        ),
        { maxLength: 3 },
      )
      .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`),
  },
)

/** Paths: the API's own (mostly), near misses, and random clean segments. Odd encodings live in the guards suite. */
export const path = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
  { weight: 2, arbitrary: fc.constantFrom('/', '/me/', '/token/', '/ME', '/Health', '/me/media/x', '/instagram', '/instagram/deletion/', '/__emulator/faults', '/oauth/access_token', '/v23.0/me') },
  { weight: 1, arbitrary: fc.array(fc.stringMatching(/^[A-Za-z0-9\-_~]{1,12}$/), { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`) },
)

const authorization = fc.oneof(
  { weight: 3, arbitrary: fc.constant(`Bearer ${REAL.token}`) },
  { weight: 3, arbitrary: tokenChars.map((t) => `Bearer IGAA${t}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'bearer abc', 'BEARER   abc   ', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'Bearer a b', 'Bearer abc==', 'Bearer abc=x', 'Token abc', `Bearer ${'A'.repeat(4097)}`, `Bearer ${'A'.repeat(4096)}`),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...' \tBearer+/=._~-abcXYZ019é'.split('')), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(null).map(() => [`Bearer ${REAL.token}`, 'Bearer other']) },
)

const origin = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('chrome-extension://keaflfdjmoomnhhnpdggooggjkklfomp', 'moz-extension://0d6c5e1e-0000-4000-8000-000000000000') },
  { weight: 1, arbitrary: fc.constant('https://app.example.com') },
  { weight: 2, arbitrary: fc.constantFrom('https://evil.example', 'http://127.0.0.1:3000', 'null', 'file://', 'https://app.example.com.evil.example', 'HTTPS://APP.EXAMPLE.COM', 'chrome-extension:', 'javascript:alert(1)') },
  { weight: 1, arbitrary: fc.webUrl().map((u) => new URL(u).origin) },
)

/** Header values node:http will put on the wire (visible ASCII, space, tab, Latin-1). */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 })

const extraHeaders = fc.array(
  fc.oneof(
    fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerText),
    fc.tuple(fc.constantFrom('x-forwarded-for', 'x-forwarded-host', 'forwarded', 'x-http-method-override', 'x-real-ip', 'accept', 'accept-encoding', 'cookie', 'referer', 'user-agent'), headerText),
    fc.tuple(fc.constantFrom('expect', 'upgrade', 'te'), fc.constantFrom('100-continue', 'websocket', 'trailers', 'nonsense')),
  ),
  { maxLength: 4 },
)

/** The upstream calls each path makes: a fault is armed on one of them, so that it is met. */
const UPSTREAM_CALLS: Record<string, readonly NonNullable<FuzzRequest['fault']>['match'][]> = {
  '/token': ['token', 'long-lived', 'profile'],
  '/refresh': ['refresh'],
  '/me': ['profile'],
  '/me/media': ['media'],
}

const faultFor = (p: string): fc.Arbitrary<FuzzRequest['fault']> =>
  UPSTREAM_CALLS[p]
    ? rarely(
        fc.record({
          kind: fc.constantFrom('http500' as const, 'non-json' as const, 'no-answer' as const, 'delay' as const),
          match: fc.constantFrom(...UPSTREAM_CALLS[p]!),
        }),
        1,
        6,
      )
    : fc.constant(undefined)

/** The endpoint fuzz: every path and method the API has, with arbitrary headers and bodies. */
export const fuzzRequest = (loopbackHost: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> =>
  path
    .chain((p) =>
      fc.record({
        path: fc.constant(p),
        // Mostly a method the path answers, so requests get past the 405.
        method: fc.oneof({ weight: ROUTES[p] ? 7 : 0, arbitrary: fc.constantFrom(...(ROUTES[p] ?? ['GET'])) }, { weight: 3, arbitrary: method }),
        body: bodyFor(p),
        query,
        host: loopbackHost,
        origin: rarely(origin, 3),
        authorization: rarely(authorization, p.startsWith('/me') ? 8 : 2),
        extra: extraHeaders,
        fault: faultFor(p),
      }),
    )
    .map(({ method, path, query, host, origin, authorization, extra, body, fault }) => {
      const headers: Record<string, string | string[]> = { host }
      for (const [name, value] of extra) headers[name] = value
      if (origin !== undefined) headers.origin = origin
      if (authorization !== undefined) headers.authorization = authorization
      if (body?.contentType !== undefined) headers['content-type'] = body.contentType
      return { method, target: `${path}${query}`, headers, body, fault }
    })
