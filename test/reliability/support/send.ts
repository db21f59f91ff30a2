import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import type { Answer } from './oracle'

export interface Outgoing {
  method: string
  /** The request target as sent: path and query, not normalised. */
  target: string
  /** Arrays send the header once per value (repeated headers). */
  headers: Record<string, string | string[]>
  body?: Buffer
}

/** No answer within this long is a hang. Generous: the fuzz servers' upstream timeout is far lower. */
export const HANG_MS = 4000

/**
 * One request over its own connection (no keep-alive pool, so one answer cannot be confused
 * with another). Rejects on a hang or a dropped connection; a status is never invented.
 */
export function send(baseUrl: string, out: Outgoing, timeoutMs = HANG_MS): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method: out.method, path: out.target, headers: out.headers, agent: false, setHost: !('host' in out.headers) },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          clearTimeout(timer)
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') })
        })
        res.on('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
      },
    )
    const timer = setTimeout(() => req.destroy(new Error(`hang: no answer to ${out.method} ${out.target.slice(0, 80)} within ${timeoutMs} ms`)), timeoutMs)
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    if (out.body !== undefined) req.write(out.body)
    req.end()
  })
}

export interface RawExchange {
  /** Everything the server wrote before closing. */
  bytes: Buffer
  /** The server closed the connection (rather than the test giving up). */
  closed: boolean
}

/**
 * Writes raw bytes on a fresh TCP connection, half-closes, and collects everything the server
 * sends until it closes. `closed: false` means the server kept the connection open: a hang.
 */
export function sendRaw(baseUrl: string, bytes: Buffer, timeoutMs = HANG_MS): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    let settled = false
    const finish = (closed: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ bytes: Buffer.concat(chunks), closed })
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('close', () => finish(true))
    // A reset after the server answered and closed is a close too.
    socket.on('error', () => finish(true))
    socket.write(bytes, () => socket.end())
  })
}

/** Splits a byte stream into HTTP/1.1 responses (Content-Length or chunked bodies). */
export function parseResponses(bytes: Buffer): { answers: Answer[]; rest: string } {
  const answers: Answer[] = []
  let text = bytes.toString('latin1')
  for (;;) {
    const end = text.indexOf('\r\n\r\n')
    if (!text.startsWith('HTTP/') || end === -1) break
    const [statusLine, ...lines] = text.slice(0, end).split('\r\n')
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1] ?? 0)
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const colon = line.indexOf(':')
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    let rest = text.slice(end + 4)
    let body = ''
    if (status < 200) {
      // no body
    } else if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const lineEnd = rest.indexOf('\r\n')
        if (lineEnd === -1) break
        const size = parseInt(rest.slice(0, lineEnd), 16)
        if (!(size >= 0)) break
        body += rest.slice(lineEnd + 2, lineEnd + 2 + size)
        rest = rest.slice(lineEnd + 2 + size + 2)
        if (size === 0) break
      }
    } else {
      const length = Number(headers['content-length'] ?? 0)
      body = rest.slice(0, length)
      rest = rest.slice(length)
    }
    // 1xx are interim (100 Continue): the answer follows them.
    if (status >= 200) answers.push({ status, headers, text: Buffer.from(body, 'latin1').toString('utf8') })
    text = rest
  }
  return { answers, rest: text }
}
