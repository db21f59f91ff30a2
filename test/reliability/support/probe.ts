/**
 * Preloaded into the server process by the load test (`node --expose-gc --import tsx --import
 * ./test/reliability/support/probe.ts server/node.ts`). It reads the process from the inside,
 * on stderr, one `PROBE {json}` line each time:
 *
 * - on SIGUSR2: memory after a full GC, and the resources keeping the event loop alive;
 * - with PROBE_NATURAL_EXIT=1, `process.exit` becomes a no-op that only records the code, so the
 *   process must end by itself once the server has closed: anything left open (a socket, a
 *   timer, an interval) keeps it alive, and the probe reports what it is after a second.
 */
import { writeSync } from 'node:fs'

const report = (event: string, extra: Record<string, unknown> = {}): void => {
  const resources: Record<string, number> = {}
  for (const name of process.getActiveResourcesInfo()) resources[name] = (resources[name] ?? 0) + 1
  const memory = process.memoryUsage()
  writeSync(2, `PROBE ${JSON.stringify({ event, rss: memory.rss, heapUsed: memory.heapUsed, resources, ...extra })}\n`)
}

process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  gc?.()
  report('stats')
})

if (process.env.PROBE_NATURAL_EXIT === '1') {
  process.exit = ((code?: number | string | null) => {
    process.exitCode = typeof code === 'number' ? code : 0
    report('exit-called', { code: process.exitCode })
    // Unref'd: it reports only if something else keeps the process alive.
    setTimeout(() => report('still-alive'), 1000).unref()
  }) as typeof process.exit
}

process.on('exit', (code) => report('exited', { code }))
