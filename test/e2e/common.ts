/**
 * Helpers every browser's end-to-end tests share, with no browser library behind them.
 * harness.ts re-exports them under the names it always had.
 */
import { createServer } from 'node:net'
import { resolve } from 'node:path'

/**
 * Where the screenshots go: docs/screenshots/ (committed, shown in the README) with
 * UPDATE_SCREENSHOTS=1; otherwise test-results/ (ignored by git), so that a plain `npm test`
 * leaves the working tree clean (the pictures show ephemeral ports, so they differ every run).
 */
export const SCREENSHOTS = resolve(process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots')

/** A loopback port with nothing listening on it. */
export async function unusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise<void>((done) => server.close(() => done()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** POSTs JSON to the emulator's admin hook. */
export async function emulatorAdmin(emulatorUrl: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${emulatorUrl}/__emulator/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`emulator admin ${path} answered ${response.status}: ${await response.text()}`)
  return response.json()
}
