/**
 * `tsx bench/compare.ts <concurrency> <command>…`: several server builds side by side against
 * one emulator, `POST /token` interleaved request by request with the direct upstream calls.
 * With `health` instead of a concurrency: `GET /health` req/s from autocannon (50 connections),
 * alternating 5-second rounds.
 * Prints each one's median and p99 and the server process's CPU time per request (from
 * /proc, so that load from other processes on the machine counts less). For A/B checks of a
 * server change: e.g. `tsx bench/compare.ts 1 'tsx /tmp/before/server/node.ts' 'tsx server/node.ts'`
 * with /tmp/before from `git archive HEAD` and a node_modules symlink.
 */
import autocannon from 'autocannon'
import { closedLoop, codeQueue } from './lib/load'
import { cpuMs, startEmulatorProcess, startServerProcess, serverEnv, type ServerProcess } from './lib/processes'
import { median, p99 } from './lib/stats'
import { directExchange, serverExchange } from './lib/upstream'

const PER_PATH = 3000
const WARM_UP = 500

const health = process.argv[2] === 'health'
const concurrency = Number(process.argv[2])
const commands = process.argv.slice(3)
if (!(health || concurrency > 0) || commands.length === 0) {
  console.error('usage: tsx bench/compare.ts <concurrency | health> <server command>…')
  process.exit(2)
}

const emulator = await startEmulatorProcess()
const servers: ServerProcess[] = []
try {
  for (const command of commands) servers.push(await startServerProcess(serverEnv(emulator), command))
  if (health) {
    const rps = servers.map(() => 0)
    const cpu = servers.map(() => ({ ms: 0, requests: 0 }))
    for (let round = 0; round < 4; round++) {
      for (const [k, server] of servers.entries()) {
        const before = cpuMs(server.pid)
        const result = await autocannon({ url: `${server.url}/health`, connections: 50, duration: round === 0 ? 2 : 5 })
        if (round > 0) {
          rps[k]! += result.requests.total / 5 / 3
          cpu[k]!.ms += cpuMs(server.pid) - before
          cpu[k]!.requests += result.requests.total
        }
      }
    }
    console.log('GET /health, autocannon, 50 connections, 3 alternating rounds of 5 s')
    const perRequest = cpu.map((c) => (c.ms * 1000) / c.requests)
    commands.forEach((command, k) =>
      console.log(
        `${command.padEnd(44)} ${Math.round(rps[k]!)} req/s (${(rps[k]! / rps[0]!).toFixed(2)}× the first), ` +
          `server CPU ${perRequest[k]!.toFixed(0)} µs/request (${(perRequest[0]! / perRequest[k]!).toFixed(2)}× the first's rate)`,
      ),
    )
  } else {
    await compareTokens(servers)
  }
} finally {
  for (const server of servers) await server.stop()
  await emulator.stop()
}

async function compareTokens(servers: ServerProcess[]): Promise<void> {
  const paths = [directExchange(emulator), ...servers.map((s) => serverExchange(s.url, emulator.redirectUri))]
  const names = ['direct upstream calls', ...commands]
  const codes = codeQueue(await emulator.mint((PER_PATH + WARM_UP) * paths.length))
  await closedLoop((i) => paths[i % paths.length]!(codes()), concurrency, WARM_UP * paths.length)
  const samples: number[][] = paths.map(() => [])
  const cpuBefore = servers.map((s) => cpuMs(s.pid))
  await closedLoop(
    async (i) => {
      const k = i % paths.length
      const started = performance.now()
      await paths[k]!(codes())
      samples[k]!.push(performance.now() - started)
    },
    concurrency,
    PER_PATH * paths.length,
  )
  console.log(`POST /token at concurrency ${concurrency}, ${PER_PATH} per path, interleaved`)
  names.forEach((name, k) => {
    const cpu = k === 0 ? '' : `  server CPU ${((cpuMs(servers[k - 1]!.pid) - cpuBefore[k - 1]!) / PER_PATH).toFixed(2)} ms/request`
    console.log(`${name.padEnd(44)} median ${median(samples[k]!).toFixed(2)} ms  p99 ${p99(samples[k]!).toFixed(2)} ms${cpu}`)
  })
}
