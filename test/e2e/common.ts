/**
 * Helpers every browser's end-to-end tests share, with no browser library behind them.
 * harness.ts re-exports them under the names it always had.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'

/** UPDATE_SCREENSHOTS=1: the run refreshes the README's pictures, if it passes. */
export const UPDATE_SCREENSHOTS = Boolean(process.env.UPDATE_SCREENSHOTS)

/**
 * Where a run writes its screenshots, always under test-results/ (ignored by git), so that a
 * plain `npm test` leaves the working tree clean (the pictures show ephemeral ports, so they
 * differ every run). With UPDATE_SCREENSHOTS=1 a separate folder, emptied at the start, holds
 * this run's pictures until `publishScreenshots` copies them.
 */
export const SCREENSHOTS = resolve(UPDATE_SCREENSHOTS ? 'test-results/screenshots-update' : 'test-results/screenshots')

/**
 * The window the options and welcome pages are opened in, so that every picture of a page has
 * one width (a page's picture is its whole `body`, as tall as its content).
 */
export const PAGE_VIEWPORT = { width: 820, height: 900 }

/** The committed pictures the README shows. */
export const PUBLISHED_SCREENSHOTS = resolve('docs/screenshots')

/** Empties this run's screenshot folder (UPDATE_SCREENSHOTS=1 only), so nothing stale is published. */
export function startScreenshotRun(): void {
  if (UPDATE_SCREENSHOTS) rmSync(SCREENSHOTS, { recursive: true, force: true })
  mkdirSync(SCREENSHOTS, { recursive: true })
}

interface TaskLike {
  type: string
  mode: string
  result?: { state?: string }
  tasks?: readonly TaskLike[]
}

/** Whether every test under a vitest suite or file ran and passed (none failed, skipped or filtered out). */
export function everyTestPassed(suite: TaskLike): boolean {
  if (suite.type === 'test') return suite.result?.state === 'pass'
  return (suite.tasks ?? []).every(everyTestPassed)
}

/**
 * With UPDATE_SCREENSHOTS=1, copies this run's pictures to docs/screenshots/ when every test
 * of the run passed (`passed`), and says so; a failing run leaves docs/screenshots/ untouched.
 * `only`: just these file names (a test file that shares the folder with another). Returns the
 * names copied.
 */
export function publishScreenshots(passed: boolean, only?: readonly string[]): string[] {
  if (!UPDATE_SCREENSHOTS) return []
  if (!passed) {
    console.warn(`Not all tests passed: docs/screenshots/ left unchanged (this run's pictures are in ${SCREENSHOTS}).`)
    return []
  }
  mkdirSync(PUBLISHED_SCREENSHOTS, { recursive: true })
  const names = readdirSync(SCREENSHOTS).filter((name) => name.endsWith('.png') && (only === undefined || only.includes(name)))
  for (const name of names) copyFileSync(join(SCREENSHOTS, name), join(PUBLISHED_SCREENSHOTS, name))
  return names
}

/**
 * A server that is "down" for as long as the test needs it: it holds a loopback port (so no
 * other process can start listening there meanwhile) and resets every connection unanswered,
 * which a browser reports exactly like a refused connection.
 */
export async function startDownServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((socket) => socket.resetAndDestroy())
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) }
}

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
