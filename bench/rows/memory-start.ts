import { readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { closedLoop, codeQueue } from '../lib/load'
import { bundle, bundledCommand, cpuMs, rssBytes, rssParts, serverEnv, serverNodeFlags, serverScript, startEmulatorProcess, startServerProcess, type EmulatorProcess } from '../lib/processes'
import type { RowResult } from '../lib/report'
import { mb, median, ms } from '../lib/stats'
import { serverExchange } from '../lib/upstream'

const STARTS = 10
const REQUESTS = 10_000
const BARE_NODE = `node -e "require('node:http').createServer((q, s) => s.end('{}')).listen(process.env.PORT, '127.0.0.1')"`
const BUNDLE_CACHE = resolve(import.meta.dirname, '../../node_modules/.cache/instagram-connect')

interface Memory {
  start: number
  after: number
  peak: number
  /** Of `after`: pages mapped from the node executable and libraries, and the process's own. */
  file: number
  anon: number
  /** Server CPU per request during the load. */
  cpuMsPerRequest: number
}

/** RSS of a fresh server process at start and after REQUESTS `POST /token` at concurrency 10. */
async function memoryAfterLoad(emulator: EmulatorProcess, command: string): Promise<Memory> {
  const server = await startServerProcess(serverEnv(emulator), command)
  try {
    const start = rssBytes(server.pid)
    const codes = codeQueue(await emulator.mint(REQUESTS))
    const exchange = serverExchange(server.url, emulator.redirectUri)
    const cpuBefore = cpuMs(server.pid)
    await closedLoop(() => exchange(codes()), 10, REQUESTS)
    const cpuMsPerRequest = (cpuMs(server.pid) - cpuBefore) / REQUESTS
    return { start, after: rssBytes(server.pid), peak: peakRssBytes(server.pid), ...rssParts(server.pid), cpuMsPerRequest }
  } finally {
    await server.stop()
  }
}

function peakRssBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : Number.NaN
}

/**
 * Row 7: process start → first `/health` 200 for `npm run server`'s command (npm itself not
 * included), beside a bare node:http server (what Node alone costs here) and the former
 * `tsx server/node.ts`; then the server's RSS after 10 000 `POST /token`.
 */
export async function memoryAndStart(): Promise<RowResult> {
  const env = { IG_CLIENT_ID: '990602627938098', IG_CLIENT_SECRET: 'bench-secret' }
  const command = serverScript()

  // The first start after an install (or a server change) bundles the server first.
  rmSync(BUNDLE_CACHE, { recursive: true, force: true })
  const cold = await startServerProcess(env, command)
  await cold.stop()

  const commands = { bare: BARE_NODE, server: command, tsx: 'tsx server/node.ts' }
  const starts = { bare: [] as number[], server: [] as number[], tsx: [] as number[] }
  const bareRss: number[] = []
  const bareFile: number[] = []
  for (let run = 0; run < STARTS; run++) {
    for (const name of ['bare', 'server', 'tsx'] as const) {
      const started = await startServerProcess(env, commands[name])
      starts[name].push(started.startMs)
      if (name === 'bare') {
        bareRss.push(rssBytes(started.pid))
        bareFile.push(rssParts(started.pid).file)
      }
      await started.stop()
    }
  }

  const emulator = await startEmulatorProcess()
  let memory: Record<'server' | 'hono' | 'node' | 'small', Memory>
  try {
    memory = {
      server: await memoryAfterLoad(emulator, command),
      hono: await memoryAfterLoad(emulator, bundledCommand('bench/bare-hono.ts')),
      node: await memoryAfterLoad(emulator, bundledCommand('bench/bare-node.ts')),
      // The V8 flag that trades the most speed for memory.
      small: await memoryAfterLoad(emulator, ['node', '--optimize-for-size', ...serverNodeFlags(), bundle('server/node.ts')].join(' ')),
    }
  } finally {
    await emulator.stop()
  }
  const rssAfter = memory.server.after

  const startMedian = median(starts.server)
  return {
    id: 7,
    title: 'Server memory and start',
    how:
      `\`npm run server\`'s command (\`${command}\`, without npm's own start-up) in a fresh process; the time from ` +
      `spawn to the first \`GET /health\` 200, polled every millisecond, ${STARTS} runs interleaved with a bare ` +
      `node:http server and with \`tsx server/node.ts\`. Then a fresh server against the emulator: RSS (from /proc) ` +
      `after ${REQUESTS.toLocaleString('en')} \`POST /token\` at concurrency 10; the same for the two relays of row 1, ` +
      'bundled and run on plain Node as the server is.',
    figures: [
      { label: `RSS after ${REQUESTS.toLocaleString('en')} POST /token (at start ${mb(memory.server.start)}, peak ${mb(memory.server.peak)})`, measured: mb(rssAfter), target: '≤ 60 MB', pass: rssAfter <= 60 * 1024 * 1024 },
      { label: `of which mapped from the node executable and libraries / the process's own`, measured: `${mb(memory.server.file)} / ${mb(memory.server.anon)}`, target: '' },
      { label: `same, bare Hono relay (at start ${mb(memory.hono.start)}; executable ${mb(memory.hono.file)}, own ${mb(memory.hono.anon)})`, measured: mb(memory.hono.after), target: '' },
      { label: `same, bare node:http relay (at start ${mb(memory.node.start)}; executable ${mb(memory.node.file)}, own ${mb(memory.node.anon)})`, measured: mb(memory.node.after), target: '' },
      {
        label: `same, the server on node --optimize-for-size (CPU per request ${memory.small.cpuMsPerRequest.toFixed(2)} ms vs ${memory.server.cpuMsPerRequest.toFixed(2)} ms)`,
        measured: mb(memory.small.after),
        target: '',
      },
      { label: 'start → first /health 200, median', measured: ms(startMedian), target: '≤ 300 ms', pass: startMedian <= 300 },
      { label: 'same, bare node:http server (Node alone)', measured: ms(median(starts.bare)), target: '' },
      { label: 'same, tsx server/node.ts (before)', measured: ms(median(starts.tsx)), target: '' },
      { label: 'same, first start after install (bundles first)', measured: ms(cold.startMs), target: '' },
    ],
    notes: [
      `Where the RSS is: a bare node:http server on Node ${process.version} holds ${mb(median(bareRss))} before its first ` +
        `request, ${mb(median(bareFile))} of it pages of the node executable and its libraries (read-only, mapped from ` +
        'disk and shared with every other Node process; RSS counts them in full anyway). Loading undici, which ' +
        '@hono/node-server and Hono\'s Request, Response and Headers need, adds executable pages and heap: a ' +
        `Hono server starts at ${mb(memory.hono.start)}. Serving the load makes V8 compile optimized code (more of the ` +
        `executable: ${mb(memory.server.file)} after it) and grow its heap. Even the bare node:http relay, with no ` +
        `framework, ends at ${mb(memory.node.after)}; the bare Hono relay at ${mb(memory.hono.after)}. With the ` +
        `executable's ${mb(memory.server.file)} counted, 60 MB would leave the server ` +
        `${mb(60 * 1024 * 1024 - memory.server.file)} of its own, while Node and undici take ${mb(memory.hono.anon)} ` +
        `in the bare Hono relay after the same load` +
        (memory.hono.file + memory.hono.anon > 60 * 1024 * 1024 ? `: the target is out of reach for a Hono server on Node ${process.version} here.` : '.'),
      `What the server does about it: \`npm run server\` caps V8's young generation (\`${serverNodeFlags().join(' ') || 'no flags'}\`; ` +
        'by default V8 grows it to 2 × 16 MB under load and keeps the pages), and the relays run with the same flags. ' +
        `\`--optimize-for-size\` would bring it to ${mb(memory.small.after)}, still above 60 MB, for ` +
        `${Math.round((memory.small.cpuMsPerRequest / memory.server.cpuMsPerRequest - 1) * 100)} % more CPU per request in this run ` +
        '(29 % in an A/B with bench/compare.ts at concurrency 10 while writing this row), so the server does not use it. ' +
        'The heap itself is about 8 MB after a full GC (no leak; measured with --expose-gc while writing this row).',
      'Start: `npm run server` used to be `tsx server/node.ts`; tsx starts a second Node process and a loader ' +
        'thread, and resolves and loads every module through it. `server/launch.mjs` now runs an esbuild bundle ' +
        'of the same entry on plain Node, rebuilt when an input changes (the "first start after install" line).',
    ],
  }
}
