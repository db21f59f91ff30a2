import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CapturedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export interface CaptureServer {
  url: string
  requests: CapturedRequest[]
  /** The requests that carry `token` anywhere: path, headers or body. */
  carrying(token: string): CapturedRequest[]
  close(): Promise<void>
}

/**
 * A server that records every request and answers 503 JSON: it stands in for a server the
 * extension must never send a token to (issue 14, tokens bound to the server that issued them).
 */
export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      res.end(JSON.stringify({ error: 'server_busy', error_description: 'Capture server.' }))
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    carrying: (token) => requests.filter((r) => r.url.includes(token) || r.body.includes(token) || JSON.stringify(r.headers).includes(token)),
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}
