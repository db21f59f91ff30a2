import { closedLoop, codeQueue } from '../lib/load'
import { startEmulatorProcess, startServerProcess, serverEnv } from '../lib/processes'
import type { RowResult } from '../lib/report'
import { median, ms } from '../lib/stats'
import { directExchange, serverExchange } from '../lib/upstream'

const LATENCY_MS = 50
const RUNS = 20

/**
 * Row 2: with every upstream call taking 50 ms, `POST /token` should cost two round trips
 * (the code exchange, then the long-lived upgrade and the profile at once), not three.
 */
export async function latencyShape(): Promise<RowResult> {
  const emulator = await startEmulatorProcess({ latencyMs: LATENCY_MS })
  const server = await startServerProcess(serverEnv(emulator))
  try {
    const sequential = directExchange(emulator, 'sequential')
    const viaServer = serverExchange(server.url, emulator.redirectUri)
    const codes = codeQueue(await emulator.mint(RUNS * 2 + 4))
    await viaServer(codes())
    await sequential(codes())
    const samples = { sequential: [] as number[], server: [] as number[] }
    await closedLoop(
      async (i) => {
        const path = i % 2 === 0 ? 'sequential' : 'server'
        const started = performance.now()
        await (path === 'sequential' ? sequential(codes()) : viaServer(codes()))
        samples[path].push(performance.now() - started)
      },
      1,
      RUNS * 2,
    )
    const ratio = median(samples.server) / median(samples.sequential)
    return {
      id: 2,
      title: 'Exchange latency shape',
      how:
        `the emulator waits ${LATENCY_MS} ms before every upstream answer. The benchmark makes the three calls one ` +
        `after the other itself (the sequential sum), and alternately sends \`POST /token\` to the server; ` +
        `median of ${RUNS} each.`,
      figures: [
        {
          label: `POST /token ${ms(median(samples.server))} / sequential sum ${ms(median(samples.sequential))}`,
          measured: `${ratio.toFixed(2)}×`,
          target: '≤ 0.75×',
          pass: ratio <= 0.75,
        },
      ],
      notes: [
        `Two round trips of ${LATENCY_MS} ms are the floor (${ms(2 * LATENCY_MS)}, ${((2 * LATENCY_MS) / median(samples.sequential)).toFixed(2)}× ` +
          'of this sum): the profile is fetched with the short-lived token while it is upgraded, in ' +
          '`server/routes/token.ts`.',
      ],
    }
  } finally {
    await server.stop()
    await emulator.stop()
  }
}
