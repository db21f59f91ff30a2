import { spawn, type ChildProcess } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'

/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (messages are JSON,
 * each ended by a NUL byte, written to the browser's fd 3 and read from its fd 4). For measuring
 * pages with nothing attached to them while they load: Playwright and Puppeteer attach to every
 * new page and run their own scripts in it, which delays its parsing and first paint.
 */
export interface CdpBrowser {
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<T>
  on(method: string, listener: (params: Record<string, unknown>, sessionId?: string) => void): void
  close(): Promise<void>
}

export function launchOverPipe(executablePath: string, args: string[]): CdpBrowser {
  const child: ChildProcess = spawn(executablePath, ['--remote-debugging-pipe', ...args], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] })
  const toBrowser = child.stdio[3] as Writable
  const fromBrowser = child.stdio[4] as Readable
  let nextId = 1
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>()
  const listeners = new Map<string, ((params: Record<string, unknown>, sessionId?: string) => void)[]>()
  let buffer = ''
  fromBrowser.setEncoding('utf8')
  fromBrowser.on('data', (chunk: string) => {
    buffer += chunk
    let end: number
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as { id?: number; result?: never; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string }
      buffer = buffer.slice(end + 1)
      if (message.id !== undefined) {
        const waiting = pending.get(message.id)
        pending.delete(message.id)
        if (message.error) waiting?.reject(new Error(message.error.message))
        else waiting?.resolve(message.result!)
      } else if (message.method) {
        for (const listener of listeners.get(message.method) ?? []) listener(message.params ?? {}, message.sessionId)
      }
    }
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  return {
    send(method, params = {}, sessionId) {
      const id = nextId++
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`)
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }))
    },
    on(method, listener) {
      listeners.set(method, [...(listeners.get(method) ?? []), listener])
    },
    async close() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
