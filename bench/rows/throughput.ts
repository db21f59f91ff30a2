import autocannon from 'autocannon'
import { bundledCommand, cpuMs, startServerProcess, type ServerProcess } from '../lib/processes'
import type { RowResult } from '../lib/report'

const CONNECTIONS = 50
const ROUND_SECONDS = 1
/**
 * Node keeps getting faster on this route for about 100,000 requests (JIT tiers, inline caches):
 * rounds of 3 s went from 12,000 to 23,000 req/s over the first five, and the ratio between two
 * servers moved with it. Each target first runs this long, unmeasured.
 */
const WARM_UP_SECONDS = 8
const SETTLE_MS = 300
const ROUNDS = 15

interface Target {
  name: string
  server: ServerProcess
  path: string
  rps: number
  cpuMs: number
  requests: number
}

/**
 * Row 3: `GET /health` through every middleware of the server against a bare Hono route served
 * the same way (bench/bare-hono.ts: @hono/node-server's listener on node:http, bundled, its own
 * process), and against the same bare route with the API's two per-response headers.
 * autocannon takes turns between them, so all see the same machine; the server processes' CPU
 * time per request (from /proc) is reported beside, as it depends less on whether autocannon or
 * the server is the bottleneck.
 */
export async function throughput(): Promise<RowResult> {
  // /health never calls Instagram; the variables only have to be valid.
  const env = { IG_CLIENT_ID: '990602627938098', IG_CLIENT_SECRET: 'bench-secret', RATE_LIMIT_PER_MINUTE: '1000000' }
  // Two processes of each: the same build differs by up to ±15 % from one process to the next
  // here (JIT and memory layout), so each side is the sum of two.
  const server = await startServerProcess(env)
  const server2 = await startServerProcess(env)
  const bare = await startServerProcess(env, bundledCommand('bench/bare-hono.ts'))
  const bare2 = await startServerProcess(env, bundledCommand('bench/bare-hono.ts'))
  const processes = [server, server2, bare, bare2]
  const targets: Target[] = [
    { name: 'server', server, path: '/health', rps: 0, cpuMs: 0, requests: 0 },
    { name: 'server, second process', server: server2, path: '/health', rps: 0, cpuMs: 0, requests: 0 },
    { name: 'bare Hono', server: bare, path: '/health', rps: 0, cpuMs: 0, requests: 0 },
    { name: 'bare Hono, second process', server: bare2, path: '/health', rps: 0, cpuMs: 0, requests: 0 },
    { name: 'bare Hono + no-store headers', server: bare, path: '/health-no-store', rps: 0, cpuMs: 0, requests: 0 },
    { name: 'bare Hono + header middleware', server: bare, path: '/health-middleware', rps: 0, cpuMs: 0, requests: 0 },
  ]
  try {
    let errors = 0
    for (let round = 0; round <= ROUNDS; round++) {
      for (const target of targets) {
        // After a burst a process goes on working for a moment (V8 finishes its garbage collection
        // once the allocation stops): that would land on whichever target runs next.
        await new Promise((settled) => setTimeout(settled, SETTLE_MS))
        const cpuBefore = cpuMs(target.server.pid)
        const seconds = round === 0 ? WARM_UP_SECONDS : ROUND_SECONDS // round 0 warms up
        const result = await autocannon({ url: `${target.server.url}${target.path}`, connections: CONNECTIONS, duration: seconds })
        errors += result.errors + result.non2xx + result.timeouts
        if (round === 0) continue
        target.rps += result.requests.total / seconds / ROUNDS
        target.cpuMs += cpuMs(target.server.pid) - cpuBefore
        target.requests += result.requests.total
      }
    }
    if (errors > 0) throw new Error(`row 3: ${errors} failed requests`)
    const [ours1, ours2, floor1, floor2, noStore, withMiddleware] = targets as [Target, Target, Target, Target, Target, Target]
    const both = (a: Target, b: Target): Target => ({ ...a, rps: (a.rps + b.rps) / 2, cpuMs: a.cpuMs + b.cpuMs, requests: a.requests + b.requests })
    const ours = both(ours1, ours2)
    const floor = both(floor1, floor2)
    const cpuUs = (t: Target) => (t.cpuMs * 1000) / t.requests
    const ratio = ours.rps / floor.rps
    return {
      id: 3,
      title: 'Server throughput',
      how:
        `autocannon, ${CONNECTIONS} connections, \`GET /health\` on two processes of \`npm run server\` and on two of a ` +
        `bare Hono route served the same way (\`bench/bare-hono.ts\`), ${ROUNDS} rounds of ${ROUND_SECONDS} s each, taking ` +
        `turns, after a warm-up of ${WARM_UP_SECONDS} s each; each side is the mean of its two processes, since one process ` +
        'of a build differs from the next by up to 15 % here (the control line). autocannon runs in the benchmark process on ' +
        'the same two cores.',
      figures: [
        {
          label: `server ${Math.round(ours.rps)} req/s vs bare Hono ${Math.round(floor.rps)} req/s (each the mean of two processes)`,
          measured: `${ratio.toFixed(2)}×`,
          target: '≥ 0.8×',
          pass: ratio >= 0.8,
        },
        {
          label: `server CPU per request: server ${cpuUs(ours).toFixed(0)} µs, bare Hono ${cpuUs(floor).toFixed(0)} µs (rate ratio)`,
          measured: `${(cpuUs(floor) / cpuUs(ours)).toFixed(2)}×`,
          target: '',
        },
        {
          label: `control: the second process of each against the first, server / bare Hono`,
          measured: `${(ours2.rps / ours1.rps).toFixed(2)}× / ${(floor2.rps / floor1.rps).toFixed(2)}×`,
          target: '',
        },
        {
          label: `bare Hono with the two no-store headers: ${Math.round(noStore.rps)} req/s, ${cpuUs(noStore).toFixed(0)} µs (vs the first bare Hono process)`,
          measured: `${(noStore.rps / floor1.rps).toFixed(2)}×`,
          target: '',
        },
        {
          label: `same headers from one middleware: ${Math.round(withMiddleware.rps)} req/s, ${cpuUs(withMiddleware).toFixed(0)} µs (vs the first bare Hono process)`,
          measured: `${(withMiddleware.rps / floor1.rps).toFixed(2)}×`,
          target: '',
        },
      ],
      notes: [
        'The last two lines are what the obvious ways of putting the two headers every API response carries ' +
          '(README, Server API: `Cache-Control: no-store`; `X-Content-Type-Options: nosniff`) on a bare Hono route cost: Hono\'s ' +
          `\`c.header\` in the handler (${(noStore.rps / floor1.rps).toFixed(2)}×: the response then carries a Headers object, ` +
          'which @hono/node-server converts field by field) and a middleware that sets them ' +
          `(${(withMiddleware.rps / floor1.rps).toFixed(2)}×: with any middleware on a route Hono runs its compose chain ` +
          'instead of calling the handler alone). The server does neither: its answers carry the headers as a plain ' +
          'object (`server/response.ts`), and the Host, Origin and 405 checks and the log line run in one synchronous ' +
          'function in front of the Hono app (`server/front-door.ts`), so `/health` is a bare route to Hono.',
      ],
    }
  } finally {
    for (const process of processes) await process.stop()
  }
}
