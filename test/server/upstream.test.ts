import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Upstream } from '../../server/instagram/client'
import { fetchUpstream } from '../../server/instagram/fetch-upstream'
import { createNodeUpstream } from '../../server/instagram/node-upstream'

/** Both ways the client reaches Instagram keep the same contract, against a real HTTP server. */
let server: Server
let base: string
let seen: { method?: string; headers: Record<string, unknown>; body: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body })
      if (req.url === '/redirect') return res.writeHead(302, { location: 'https://evil.example/' }).end()
      if (req.url === '/slow') return setTimeout(() => res.end('{}'), 2000)
      if (req.url === '/bom') return res.end('\ufeff{"ok":true}')
      if (req.url === '/usage') {
        return res.writeHead(200, { 'x-app-usage': '{"call_count":81}', 'X-Business-Use-Case-Usage': '{"1":[]}', 'x-other': 'x' }).end('{}')
      }
      if (req.url === '/stall-body') {
        res.writeHead(200)
        return res.write('{"partial":') // and never ends
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }))
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((done) => server.close(done))
})

const upstreams: [string, () => Upstream][] = [
  ['node-upstream', createNodeUpstream],
  ['fetch-upstream over the global fetch', () => fetchUpstream((input, init) => fetch(input, init))],
]

describe.each(upstreams)('%s', (_name, make) => {
  const upstream = make()

  it('sends method, headers and body, and answers status and text', async () => {
    seen = []
    const answer = await upstream(`${base}/token?x=1`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=é', timeoutMs: 1000 })
    expect(answer).toEqual({ status: 200, text: '{"path":"/token?x=1"}', headers: {} })
    expect(seen[0]).toMatchObject({ method: 'POST', body: 'a=1&b=é', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '8' } })
  })

  it('answers a redirect as is instead of following it', async () => {
    expect((await upstream(`${base}/redirect`, { headers: {}, timeoutMs: 1000 })).status).toBe(302)
  })

  it('keeps the usage headers of the answer, and no others', async () => {
    expect((await upstream(`${base}/usage`, { headers: {}, timeoutMs: 1000 })).headers).toEqual({
      'x-app-usage': '{"call_count":81}',
      'x-business-use-case-usage': '{"1":[]}',
    })
  })

  it('drops a byte order mark, as Response.text() does', async () => {
    expect((await upstream(`${base}/bom`, { headers: {}, timeoutMs: 1000 })).text).toBe('{"ok":true}')
  })

  it('rejects with a TimeoutError when the answer, or the rest of its body, is late', async () => {
    for (const path of ['/slow', '/stall-body']) {
      const started = performance.now()
      await expect(upstream(`${base}${path}`, { headers: {}, timeoutMs: 150 })).rejects.toMatchObject({ name: 'TimeoutError' })
      expect(performance.now() - started).toBeLessThan(1000)
    }
  })

  it('rejects with a TypeError, not a TimeoutError, when nothing listens', async () => {
    const closed = createServer()
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done))
    const port = (closed.address() as AddressInfo).port
    await new Promise((done) => closed.close(done))
    await expect(upstream(`http://127.0.0.1:${port}/`, { headers: {}, timeoutMs: 1000 })).rejects.toBeInstanceOf(TypeError)
  })
})

describe('node-upstream', () => {
  it('refuses a URL that is not HTTP', async () => {
    await expect(createNodeUpstream()('file:///etc/passwd', { headers: {}, timeoutMs: 1000 })).rejects.toBeInstanceOf(TypeError)
  })

  it('sends each URL\'s own path and query as WHATWG URL writes them, whatever it sent before', async () => {
    const upstream = createNodeUpstream()
    const pathOf = async (url: string) => (JSON.parse((await upstream(url, { headers: {}, timeoutMs: 1000 })).text) as { path: string }).path
    const cases: [string, string][] = [
      [`${base}/me?fields=user_id%2Cusername&x=1`, '/me?fields=user_id%2Cusername&x=1'],
      [`${base}/me?y=2`, '/me?y=2'],
      [`${base}/me`, '/me'],
      [`${base}/me?`, '/me'],
      [`${base}/me?a b"<>'`, '/me?a%20b%22%3C%3E%27'],
      [`${base}/s p/./a/../b?c`, '/s%20p/b?c'],
      [`${base}/f#frag?not-a-query`, '/f'],
      [`${base}/g?q#frag`, '/g?q'],
      [`${base.replace('127.0.0.1', 'user:pw@127.0.0.1')}/auth?z`, '/auth?z'],
    ]
    for (let round = 0; round < 2; round++) {
      for (const [url, path] of cases) expect(await pathOf(url), url).toBe(path)
    }
  })

  it('sends a GET again, once, on a new connection when a kept-alive socket turns out closed', async () => {
    // The race Node documents: the agent reuses an idle socket the server has just closed. Here
    // the server resets the reused socket at the second request, as a closing one would.
    const perSocket = new WeakMap<object, number>()
    let requests = 0
    const flaky = createServer((req, res) => {
      requests++
      const count = (perSocket.get(req.socket) ?? 0) + 1
      perSocket.set(req.socket, count)
      if (count === 2) return req.socket.destroy()
      res.end('{}')
    })
    await new Promise<void>((done) => flaky.listen(0, '127.0.0.1', done))
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/`
    const upstream = createNodeUpstream()
    await upstream(url, { headers: {}, timeoutMs: 1000 })
    expect(await upstream(url, { headers: {}, timeoutMs: 1000 })).toEqual({ status: 200, text: '{}', headers: {} })
    expect(requests).toBe(3)
    // Only once: a fresh connection that fails is a failure.
    flaky.closeAllConnections()
    await new Promise((done) => flaky.close(done))
    await expect(upstream(url, { headers: {}, timeoutMs: 1000 })).rejects.toBeInstanceOf(TypeError)
  })

  it('closes an idle kept-alive socket before the server says it will, so a later POST goes on a new connection', async () => {
    // Found by bench row 1 at concurrency 100: a busy server reused sockets the emulator (Node:
    // `Keep-Alive: timeout=5`, closes idle ones after 5 s + 1 s) had already closed, and code
    // exchanges failed with ECONNRESET, which a POST must not retry. Node's agent honours the
    // hint (less a second) only when it has a `timeout` of its own. Here the server says
    // `timeout=2` and closes idle sockets after 2.5 s; after 1.5 s idle we must not reuse one.
    const connections: number[] = []
    const closing = createServer((req, res) => {
      req.resume()
      req.on('end', () => res.end('{}'))
    })
    closing.on('connection', () => connections.push(Date.now()))
    closing.keepAliveTimeout = 2500
    closing.keepAliveTimeoutBuffer = 0
    await new Promise<void>((done) => closing.listen(0, '127.0.0.1', done))
    const url = `http://127.0.0.1:${(closing.address() as AddressInfo).port}/oauth/access_token`
    const upstream = createNodeUpstream()
    const post = { method: 'POST' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' }, timeoutMs: 1000 }
    await upstream(url, { ...post, body: 'code=first' })
    await upstream(url, { ...post, body: 'code=second' })
    expect(connections).toHaveLength(1) // kept alive between calls close together
    await new Promise((done) => setTimeout(done, 1500))
    expect(await upstream(url, { ...post, body: 'code=third' })).toEqual({ status: 200, text: '{}', headers: {} })
    expect(connections).toHaveLength(2)
    closing.closeAllConnections()
    await new Promise((done) => closing.close(done))
  })

  it('never sends a POST again once it may have been written: the server may have taken its single-use code', async () => {
    // Instagram reads the code, then drops the kept-alive connection without answering (issue 12).
    const perSocket = new WeakMap<object, number>()
    const posts: string[] = []
    const dropping = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        const count = (perSocket.get(req.socket) ?? 0) + 1
        perSocket.set(req.socket, count)
        if (req.method === 'POST') posts.push(body)
        if (count === 2) return req.socket.destroy()
        res.end('{}')
      })
    })
    await new Promise<void>((done) => dropping.listen(0, '127.0.0.1', done))
    const url = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}/oauth/access_token`
    const upstream = createNodeUpstream()
    const post = { method: 'POST' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' }, timeoutMs: 1000 }
    await upstream(url, { ...post, body: 'code=first' })
    await expect(upstream(url, { ...post, body: 'code=AQBsingle-use' })).rejects.toBeInstanceOf(TypeError)
    expect(posts).toEqual(['code=first', 'code=AQBsingle-use'])
    dropping.closeAllConnections()
    await new Promise((done) => dropping.close(done))
  })
})
