import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export interface TestServer {
  /** Origin, e.g. `http://127.0.0.1:54321`. */
  url: string
  /** Every request that reached it, body read in full. */
  seen: SeenRequest[]
  close(): Promise<void>
}

/**
 * A plain HTTP server on an ephemeral loopback port that records every request and answers
 * with `answer(request)`: a stand-in for a server the extension must never reach (a capture
 * server) or one that redirects there.
 */
export function startTestServer(answer: (request: SeenRequest) => { status: number; headers?: Record<string, string>; body?: string }): Promise<TestServer> {
  const seen: SeenRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      seen.push(request)
      const { status, headers = {}, body = '' } = answer(request)
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(body)
    })
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}

/** A server answering every request with `status` (307 by default) and `Location: <target><path>`. */
export function startRedirectServer(target: string, status = 307): Promise<TestServer> {
  return startTestServer((request) => ({ status, headers: { location: `${target}${request.url}` }, body: '{}' }))
}

/** A server answering every request 200 `{"status":"ok"}`, kept for what reached it. */
export function startCaptureServer(): Promise<TestServer> {
  return startTestServer(() => ({ status: 200, body: '{"status":"ok"}' }))
}
