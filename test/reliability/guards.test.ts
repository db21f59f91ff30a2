import fc from 'fast-check'
import { METHODS } from 'node:http'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { isLoopbackHostname } from '../../server/middleware/request-guards'
import { method } from './support/arbitraries'
import { Figures } from './support/figures'
import { ALLOWED_ORIGIN, FuzzStack } from './support/fuzz-stack'
import { contractViolations, outcomeExpected, outcomeOf, ROUTES, type Answer } from './support/oracle'
import { send, sendRaw, parseResponses, type Outgoing } from './support/send'
import { SEED, SIZE, TEST_TIMEOUT_MS } from './support/size'

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS })

/**
 * The browser-side attacks the server must stop by itself (RFC 9700 §4, browser-based apps):
 * DNS rebinding (a foreign Host), web origins, permissive CORS, odd request targets (and the log
 * lines they leave), and rate limiting per IP with X-Forwarded-For trusted only when configured.
 */

const figures = new Figures('guards')
const stacks: FuzzStack[] = []
let fz: FuzzStack

async function stack(env: Record<string, string> = {}): Promise<FuzzStack> {
  const s = await FuzzStack.start(env)
  stacks.push(s)
  return s
}

beforeAll(async () => {
  fz = await stack()
})

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()))
  figures.flush()
})

const isExtensionOrigin = (origin: string) => {
  try {
    return ['chrome-extension:', 'moz-extension:', 'safari-web-extension:', 'ms-browser-extension:'].includes(new URL(origin).protocol)
  } catch {
    return false
  }
}

// Methods the HTTP parser knows (the others never reach the guards: endpoints.test.ts).
const knownRequest = fc
  .tuple(fc.constantFrom(...Object.keys(ROUTES)), method.filter((m) => METHODS.includes(m.toUpperCase())))
  .map(([path, m]) => ({ path, method: m.toUpperCase() }))
const upstreamCalls = (s: FuzzStack) => s.stack.emulator.emulator.calls.length

/** Sends, checks the contract, keeps the body for the secrets sweep; returns the answer and any problems. */
async function ask(s: FuzzStack, out: Outgoing): Promise<{ answer: Answer; outcome: string; problems: string[] }> {
  const answer = await send(s.url, out)
  figures.add('requests')
  // HTTP trims a field value's surrounding whitespace: the server judges what is left.
  const origin = Array.isArray(out.headers.origin) ? undefined : out.headers.origin?.replace(/^[ \t]+|[ \t]+$/g, '')
  const problems = contractViolations({ method: out.method, ...(origin !== undefined ? { origin } : {}) }, answer, { allowedOrigins: [ALLOWED_ORIGIN] })
  s.capture.response(`${out.method} ${out.target.split('?')[0]}`, answer.text)
  const outcome = outcomeOf(answer, out.method)
  figures.count('outcomes', out.method === 'HEAD' && /^\d{3}$/.test(outcome) && outcome >= '400' ? `${outcome} (HEAD)` : outcome)
  return { answer, outcome, problems }
}

function expectNoFailures(failures: string[], runs: number, what: string): void {
  figures.add('failures', failures.length)
  expect(failures.slice(0, 5), `${failures.length} of ${runs} ${what} (seed ${SEED})`).toEqual([])
}

describe('DNS rebinding: the Host header', () => {
  const rebound = fc.oneof(
    fc.domain().filter((d) => !isLoopbackHostname(d)),
    fc.ipV4().filter((ip) => !ip.startsWith('127.')),
    fc.ipV6().filter((ip) => !isLoopbackHostname(ip)).map((ip) => `[${ip}]`),
    fc.constantFrom(
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'evil.example',
      'LOCALHOST.evil.example',
      '0.0.0.0',
      '[::ffff:127.0.0.1]',
      '[::]',
      'localhost.',
      'xn--localhost-9za.example',
    ),
  )
  const host = fc.tuple(rebound, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([h, port]) => (port === undefined ? h : `${h}:${port}`))

  it('refuses every request addressed to another name, before anything else happens', async () => {
    const failures: string[] = []
    const callsBefore = upstreamCalls(fz)
    await fc.assert(
      fc.asyncProperty(host, knownRequest, fc.option(fc.constantFrom(ALLOWED_ORIGIN, 'chrome-extension://abc'), { nil: undefined }), async (h, { path, method: m }, origin) => {
        const headers: Record<string, string> = { host: h, authorization: `Bearer ${[...fz.realTokens][0]}`, 'content-type': 'application/json' }
        if (origin) headers.origin = origin
        const body = m === 'POST' ? Buffer.from(JSON.stringify({ code: 'AQxyz', redirect_uri: CHROME_REDIRECT_URI, access_token: 'IGAAxyz' })) : undefined
        const { outcome, problems, answer } = await ask(fz, { method: m, target: path, headers: body ? { ...headers, 'content-length': String(body.length) } : headers, ...(body ? { body } : {}) })
        // A Host the HTTP layer cannot read at all is a 400; one it can read is refused as foreign.
        const expected = ['403 host_not_allowed', '400 invalid_request']
        if (!outcomeExpected(outcome, expected)) problems.push(`expected ${expected.join(' | ')}, got ${outcome}`)
        if (answer.headers['access-control-allow-origin'] !== undefined) problems.push('CORS header on a refused request')
        if (problems.length > 0) failures.push(`${m} ${path} Host: ${h} Origin: ${origin} → ${problems.join('; ')}`)
      }),
      { numRuns: Math.round(SIZE.httpRuns.guards / 2), seed: SEED },
    )
    expectNoFailures(failures, Math.round(SIZE.httpRuns.guards / 2), 'rebound requests got through')
    expect(upstreamCalls(fz), 'a rebound request reached Instagram').toBe(callsBefore)
  })

  it('serves loopback names in every spelling and the PUBLIC_URL host', async () => {
    const port = fz.port
    const loopback = fc.oneof(
      fc.constantFrom('localhost', 'LocalHost', '127.0.0.1', '[::1]', '127.255.255.254'),
      fc.stringMatching(/^[a-z0-9-]{1,20}$/).map((label) => `${label}.localhost`),
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `127.${a}.${b}.${c}`),
    )
    await fc.assert(
      fc.asyncProperty(loopback, fc.boolean(), async (h, withPort) => {
        const { answer } = await ask(fz, { method: 'GET', target: '/health', headers: { host: withPort ? `${h}:${port}` : h } })
        expect(answer.status, `Host: ${h}`).toBe(200)
      }),
      { numRuns: 60, seed: SEED },
    )
    const pub = await stack({ PUBLIC_URL: 'https://ig.example.com' })
    for (const [h, status] of [['ig.example.com', 200], ['IG.example.COM:443', 200], ['ig.example.com.evil.example', 403], ['evil-ig.example.com', 403]] as const) {
      expect((await ask(pub, { method: 'GET', target: '/health', headers: { host: h } })).answer.status, h).toBe(status)
    }
  })

  it('refuses a request without any Host in the API error shape', async () => {
    const { answers } = parseResponses((await sendRaw(fz.url, Buffer.from('GET /health HTTP/1.0\r\n\r\n'))).bytes)
    expect(answers).toHaveLength(1)
    expect(contractViolations({ method: 'GET' }, answers[0]!)).toEqual([])
    expect(answers[0]!.status).toBe(400)
    const http11 = parseResponses((await sendRaw(fz.url, Buffer.from('GET /health HTTP/1.1\r\nConnection: close\r\n\r\n'))).bytes)
    expect(outcomeOf(http11.answers[0]!)).toBe('400 invalid_request')
  })
})

describe('web origins and CORS', () => {
  const webOrigin = fc.oneof(
    fc.webUrl().map((u) => new URL(u).origin),
    fc.constantFrom('null', 'file://', 'https://app.example.com.evil.example', 'https://app.example.com:444', 'http://app.example.com', 'HTTPS://APP.EXAMPLE.COM', 'https://app.example.com/', ' https://app.example.com', 'data:', 'javascript:'),
    fc.string({ maxLength: 40 }).filter((s) => !/^(chrome|moz|safari-web|ms-browser)-extension:/.test(s) && s !== ALLOWED_ORIGIN && /^[\x20-\x7e]*$/.test(s)),
  )

  it('refuses every web origin not in ALLOWED_ORIGINS on every path and method, preflight included, with no CORS header', async () => {
    const failures: string[] = []
    await fc.assert(
      fc.asyncProperty(webOrigin, knownRequest, fc.boolean(), async (origin, { path, method: m }, preflight) => {
        const headers: Record<string, string> = { origin, authorization: `Bearer ${[...fz.realTokens][0]}` }
        const verb = preflight ? 'OPTIONS' : m
        if (preflight) headers['access-control-request-method'] = 'POST'
        const callsBefore = upstreamCalls(fz)
        const { outcome, problems, answer } = await ask(fz, { method: verb, target: path, headers })
        // HTTP trims the field value: what is left is what the server judges.
        const effective = origin.replace(/^[ \t]+|[ \t]+$/g, '')
        const passes = effective === ALLOWED_ORIGIN || isExtensionOrigin(effective)
        if (!passes && !outcomeExpected(outcome, ['403 origin_not_allowed'])) problems.push(`expected 403 origin_not_allowed, got ${outcome}`)
        if (!passes && upstreamCalls(fz) !== callsBefore) problems.push('a refused origin reached Instagram')
        for (const name of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers']) {
          if (!passes && answer.headers[name] !== undefined) problems.push(`${name} on a refused origin`)
        }
        if (problems.length > 0) failures.push(`${verb} ${path} Origin: ${JSON.stringify(origin)} → ${problems.join('; ')}`)
      }),
      { numRuns: Math.round(SIZE.httpRuns.guards / 2), seed: SEED },
    )
    expectNoFailures(failures, Math.round(SIZE.httpRuns.guards / 2), 'foreign origins got through')
  })

  it('lets extension origins through without CORS, and gives an allowed origin exactly its own', async () => {
    const extension = fc.tuple(fc.constantFrom('chrome-extension', 'moz-extension'), fc.stringMatching(/^[a-p]{32}$/)).map(([scheme, id]) => `${scheme}://${id}`)
    await fc.assert(
      fc.asyncProperty(extension, async (origin) => {
        const { answer, problems } = await ask(fz, { method: 'GET', target: '/config', headers: { origin } })
        expect(problems).toEqual([])
        expect(answer.status).toBe(200)
        expect(answer.headers['access-control-allow-origin']).toBeUndefined()
      }),
      { numRuns: 30, seed: SEED },
    )
    const allowed = await ask(fz, { method: 'GET', target: '/config', headers: { origin: ALLOWED_ORIGIN } })
    expect(allowed.answer.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN)
    expect(allowed.answer.headers.vary).toMatch(/Origin/)
    expect(allowed.answer.headers['access-control-allow-credentials']).toBeUndefined()
  })
})

describe('odd request targets', () => {
  const segment = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9\-._~]{0,10}$/),
    fc.constantFrom('%2e%2e', '..', '.', '%2F', '%5C', '\\', '%00', '%0a', '%0d%0a', '%E2%80%A8', '%20', '%zz', '%', '%C0%AF', '%FF', 'me', 'media', 'token', ';x=1', '@', ':', '%40evil'),
    fc.string({ unit: 'grapheme', maxLength: 5 }).map(encodeURIComponent),
  )
  const target = fc.oneof(
    fc.tuple(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '?', '?code=%0aX', '?limit=1#frag', '#x')).map(([parts, q]) => `/${parts.join('/')}${q}`),
    fc.constantFrom('//me', '///health', '/me//media', '/./me', '/me/./media', '/me/../config', '/%6d%65', '/%2fme', `/${'a'.repeat(8000)}`, `/health?${'x='.repeat(3000)}`, '/health?%00', '/me?%E0%A4%A'),
  )

  it('answer within the contract, and leave one well-formed log line each (no forged lines)', async () => {
    const failures: string[] = []
    const runs = Math.round(SIZE.httpRuns.guards / 2)
    await fc.assert(
      fc.asyncProperty(target, method, async (t, m) => {
        try {
          const { problems } = await ask(fz, { method: m.toUpperCase(), target: t, headers: { authorization: 'Bearer IGAAodd' } })
          if (problems.length > 0) failures.push(`${m} ${t.slice(0, 100)} → ${problems.join('; ')}`)
        } catch (error) {
          failures.push(`${m} ${t.slice(0, 100)} → ${(error as Error).message}`)
        }
      }),
      { numRuns: runs, seed: SEED },
    )
    expectNoFailures(failures, runs, 'odd targets broke the contract')
    const lines = fz.stack.logs.map((line) => ({ source: 'guards', text: line }))
    const { SERVER_LOG_LINE } = await import('./support/capture')
    expect(lines.filter(({ text }) => !SERVER_LOG_LINE.test(text)).slice(0, 5)).toEqual([])
  })
})

describe('rate limiting per IP', () => {
  const post = (s: FuzzStack, xff?: string) =>
    ask(s, {
      method: 'POST',
      target: '/token',
      headers: { 'content-type': 'application/json', ...(xff === undefined ? {} : { 'x-forwarded-for': xff }) },
      body: Buffer.from(JSON.stringify({ code: 'x' })),
    })

  it('answers 429 rate_limited with Retry-After once over the limit, on /token and /refresh', async () => {
    const s = await stack({ RATE_LIMIT_PER_MINUTE: '3' })
    const outcomes = []
    for (let i = 0; i < 4; i++) outcomes.push((await post(s)).outcome)
    expect(outcomes).toEqual(['400 invalid_request', '400 invalid_request', '400 invalid_request', '429 rate_limited'])
    const limited = await ask(s, { method: 'POST', target: '/refresh', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') })
    expect(limited.problems).toEqual([])
    expect(limited.outcome).toBe('429 rate_limited')
    const retryAfter = Number(limited.answer.headers['retry-after'])
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    // Reads are not limited.
    expect((await ask(s, { method: 'GET', target: '/health', headers: {} })).answer.status).toBe(200)
  })

  it('ignores X-Forwarded-For unless TRUST_PROXY=true: a client cannot rotate its way past the limit', async () => {
    const s = await stack({ RATE_LIMIT_PER_MINUTE: '3' })
    const forwarded = fc.sample(fc.ipV4(), { numRuns: 6, seed: SEED })
    const outcomes = []
    for (const ip of forwarded) outcomes.push((await post(s, ip)).outcome)
    expect(outcomes.slice(3)).toEqual(['429 rate_limited', '429 rate_limited', '429 rate_limited'])
  })

  it('with TRUST_PROXY=true, keys on the address the proxy appended (the last hop), which a client cannot forge', async () => {
    const s = await stack({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' })
    // Two clients behind the proxy are counted apart.
    for (let i = 0; i < 3; i++) expect((await post(s, '203.0.113.7')).outcome).toBe('400 invalid_request')
    expect((await post(s, '203.0.113.7')).outcome).toBe('429 rate_limited')
    expect((await post(s, '203.0.113.8')).outcome).toBe('400 invalid_request')
    // The proxy appends the client's address to whatever the client sent; made-up first hops do not help.
    const spoofed = fc.sample(fc.ipV4(), { numRuns: 5, seed: SEED }).map((ip) => `${ip}, 203.0.113.8`)
    const outcomes = []
    for (const xff of spoofed) outcomes.push((await post(s, xff)).outcome)
    expect(outcomes).toEqual(['400 invalid_request', '400 invalid_request', '429 rate_limited', '429 rate_limited', '429 rate_limited'])
    // No usable hop: the socket address.
    expect((await post(s, ' , ')).outcome).toBe('400 invalid_request')
  })
})

describe('TRUST_PROXY as a list of proxies (issue 14)', () => {
  const post = (s: FuzzStack, xff: string) =>
    ask(s, {
      method: 'POST',
      target: '/token',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
      body: Buffer.from(JSON.stringify({ code: 'x' })),
    })
  const limitedAfterThree = ['400 invalid_request', '400 invalid_request', '400 invalid_request', ...Array(5).fill('429 rate_limited')]

  it('a client reaching the port directly cannot pick its key by rotating X-Forwarded-For (8 requests at a limit of 3)', async () => {
    // The deployment the README describes when the proxy runs on another host: HOST=0.0.0.0, the
    // proxy's address in TRUST_PROXY. This test's client is 127.0.0.1, not the proxy.
    const s = await stack({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '10.0.0.2' })
    const outcomes = []
    for (const ip of fc.sample(fc.ipV4(), { numRuns: 8, seed: SEED })) outcomes.push((await post(s, ip)).outcome)
    expect(outcomes).toEqual(limitedAfterThree)
  })

  it('behind a listed proxy, the client is the last hop not in the list; forged earlier hops do not help', async () => {
    const s = await stack({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1,::1,10.0.0.0/8' })
    const outcomes = []
    for (const ip of fc.sample(fc.ipV4(), { numRuns: 8, seed: SEED })) outcomes.push((await post(s, `${ip}, 203.0.113.7, 10.0.0.9`)).outcome)
    expect(outcomes).toEqual(limitedAfterThree)
    // Another client behind the same proxies has its own count.
    expect((await post(s, '203.0.113.8, 10.0.0.9')).outcome).toBe('400 invalid_request')
  })

  it('counts IPv6 clients by their /64: rotating the low 64 bits does not help', async () => {
    const s = await stack({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1,::1' })
    const hosts = fc.sample(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 0xffff })), { numRuns: 8, seed: SEED })
    const outcomes = []
    for (const [a, b] of hosts) outcomes.push((await post(s, `2001:db8:7:9:${a.toString(16)}::${b.toString(16)}`)).outcome)
    expect(outcomes).toEqual(limitedAfterThree)
    expect((await post(s, '2001:db8:7:a::1')).outcome).toBe('400 invalid_request')
  })
})

describe('secrets', () => {
  it('no client secret, token or code in any answer or log line of this file', () => {
    for (const s of stacks) s.collectLogs('guards')
    const capture = fz.capture
    for (const s of stacks.slice(1)) {
      for (const [value, kind] of s.capture.secrets) capture.secret(kind, value)
      capture.texts.push(...s.capture.texts)
      capture.logLines.push(...s.capture.logLines)
    }
    expect(capture.malformedLogLines().slice(0, 5)).toEqual([])
    expect(capture.leaks()).toEqual([])
    capture.flush('guards')
  })
})
