import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { Figures } from './support/figures'
import { FuzzStack } from './support/fuzz-stack'
import { contractViolations, outcomeOf, ROUTES } from './support/oracle'
import { parseResponses, send, sendRaw } from './support/send'
import { SEED, SIZE, TEST_TIMEOUT_MS } from './support/size'

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS })

/**
 * Below the HTTP client: raw bytes on a TCP connection, as an attacker or a broken proxy sends
 * them. Request lines with unknown methods, versions and targets, malformed and oversized
 * headers, conflicting framing (Content-Length against chunked, short, long, doubled), bare LF
 * line endings, pipelining, and plain noise. Whatever the server answers must keep the contract,
 * it must answer at most once per request, close the connection instead of hanging, and stay up.
 */

const figures = new Figures('sockets')
let fz: FuzzStack

beforeAll(async () => {
  fz = await FuzzStack.start()
})

afterAll(async () => {
  await fz?.close()
  figures.flush()
})

/** Mostly well-formed, so that requests get as far as the app; one dimension at a time breaks. */
const headerName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('Authorization', 'Origin', 'Connection', 'Expect', 'X-Forwarded-For', 'Upgrade', 'Accept', 'Cookie') },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', ' Host', 'Host ', 'Bad Name', 'Ünïcode', 'X\u0000Y', 'Content-Length\t', 'Host', 'Content-Type') },
)
const headerValue = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,40}$/) },
  { weight: 2, arbitrary: fc.constantFrom('close', 'keep-alive', '100-continue', 'nonsense', 'websocket', 'Bearer IGAAxyz', 'chrome-extension://abc', 'https://evil.example') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 17_000, max: 40_000 }).map((n) => 'x'.repeat(n)) },
)

const FRAMINGS = ['none', 'cl', 'cl-short', 'cl-long', 'cl-twice', 'cl-and-te', 'chunked', 'chunked-bad', 'te-unknown'] as const

const rawRequest = fc
  .record({
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH') },
      { weight: 2, arbitrary: fc.constantFrom('get', 'FOO', 'G ET', '', 'CONNECT', 'PRI', 'TRACE', 'M-SEARCH') },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    ),
    target: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...Object.keys(ROUTES)) },
      {
        weight: 3,
        arbitrary: fc.constantFrom('*', '', ' ', '/me\\x', '/%00', '/health#f', 'http://127.0.0.1/health', 'http://evil.example/health', 'https://localhost/config', '//health', 'health', '/\u00ff', '/me?limit=1&limit=2', `/${'a'.repeat(9000)}`),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    ),
    version: fc.oneof({ weight: 9, arbitrary: fc.constant('HTTP/1.1') }, { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.2', 'http/1.1', '', 'HTTP/1.1 x', 'HTTP/11') }),
    host: fc.oneof(
      { weight: 9, arbitrary: fc.constant('127.0.0.1') },
      { weight: 1, arbitrary: fc.constantFrom(undefined, 'localhost', 'evil.example', '', '127.0.0.1:99999', '[::1', 'a b', 'localhost, evil.example') },
    ),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
    framing: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('none', 'cl', 'chunked') }, { weight: 4, arbitrary: fc.constantFrom(...FRAMINGS) }),
    body: fc.oneof(
      fc.constant(JSON.stringify({ code: 'AQxyz', redirect_uri: CHROME_REDIRECT_URI })),
      fc.constant('signed_request=a.b'),
      fc.string({ maxLength: 100 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
    ),
    eol: fc.oneof({ weight: 9, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\r\r\n') }),
    foldedHeader: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    pipelined: fc.boolean(),
  })
  .map((r) => {
    const lines = [`${r.method} ${r.target} ${r.version}`.replace(/ +$/, r.version === '' ? '' : ' ')]
    if (r.host !== undefined) lines.push(`Host: ${r.host}`)
    lines.push('Content-Type: application/json')
    for (const [name, value] of r.headers) lines.push(`${name}: ${value}`)
    if (r.foldedHeader) lines.push('X-Folded: a', ' continued')
    const body = Buffer.from(r.body)
    let payload = body
    switch (r.framing) {
      case 'cl':
        lines.push(`Content-Length: ${body.length}`)
        break
      case 'cl-short':
        lines.push(`Content-Length: ${Math.max(0, body.length - 3)}`)
        break
      case 'cl-long':
        lines.push(`Content-Length: ${body.length + 10}`)
        break
      case 'cl-twice':
        lines.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`)
        break
      case 'cl-and-te':
        lines.push(`Content-Length: ${body.length}`, 'Transfer-Encoding: chunked')
        break
      case 'chunked':
        lines.push('Transfer-Encoding: chunked')
        payload = body.length === 0 ? Buffer.from('0\r\n\r\n') : Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')])
        break
      case 'chunked-bad':
        lines.push('Transfer-Encoding: chunked')
        payload = Buffer.concat([Buffer.from('zz\r\n'), body])
        break
      case 'te-unknown':
        lines.push('Transfer-Encoding: gzip')
        break
    }
    const head = Buffer.from(`${lines.join(r.eol)}${r.eol}${r.eol}`, 'latin1')
    const next = r.pipelined ? Buffer.from('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n') : Buffer.alloc(0)
    // Body bytes the framing does not claim are, to HTTP, the start of one more request.
    const leftover = body.length > 0 && ['none', 'cl-short', 'cl-twice', 'cl-and-te', 'chunked-bad', 'te-unknown'].includes(r.framing)
    return { bytes: Buffer.concat([head, payload, next]), requests: (r.pipelined ? 2 : 1) + (leftover ? 1 : 0), label: r.framing }
  })

const noise = fc.uint8Array({ minLength: 1, maxLength: 512 }).map((bytes) => ({ bytes: Buffer.from(bytes), requests: 1, label: 'noise' }))

describe('raw bytes on a socket', () => {
  it('every answer keeps the contract, at most one per request, and the connection never hangs', async () => {
    const failures: string[] = []
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 9, arbitrary: rawRequest }, { weight: 1, arbitrary: noise }), async ({ bytes, requests, label }) => {
        const exchange = await sendRaw(fz.url, bytes)
        const { answers } = parseResponses(exchange.bytes)
        figures.add('requests')
        figures.count('framings', label)
        figures.count('answers', String(answers.length))
        const problems: string[] = []
        if (!exchange.closed) problems.push('the server kept the connection open: a hang')
        if (answers.length > requests) problems.push(`${answers.length} answers to ${requests} requests: ${answers.map((a) => outcomeOf(a)).join(', ')}`)
        for (const answer of answers) {
          figures.count('outcomes', outcomeOf(answer))
          if (answer.status === 400) figures.count('refusals', (JSON.parse(answer.text) as { error_description: string }).error_description)
          fz.capture.response('raw', answer.text)
          // Raw requests are never HEAD, so every answer has a body to check.
          problems.push(...contractViolations({ method: 'GET' }, answer))
        }
        if (problems.length > 0) failures.push(`${bytes.length}B ${JSON.stringify(bytes.toString("latin1").slice(0, 200))}${bytes.length > 200 ? ` … ${JSON.stringify(bytes.toString("latin1").slice(-120))}` : ""}\n  → ${problems.join('\n  → ')}`)
      }),
      { numRuns: SIZE.httpRuns.sockets, seed: SEED },
    )
    figures.set('failures', failures.length)
    expect(failures.slice(0, 5), `${failures.length} of ${SIZE.httpRuns.sockets} raw exchanges broke the contract (seed ${SEED})`).toEqual([])
    // Still up and serving.
    expect((await send(fz.url, { method: 'GET', target: '/health', headers: {} })).status).toBe(200)
  })

  it('leaks no secret in any answer or log line', () => {
    fz.collectLogs('sockets')
    expect(fz.capture.malformedLogLines().slice(0, 5)).toEqual([])
    expect(fz.capture.leaks()).toEqual([])
    fz.capture.flush('sockets')
  })
})
