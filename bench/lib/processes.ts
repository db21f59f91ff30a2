import { buildSync } from 'esbuild'
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { serverEnvFor } from '../../server/emulator'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = resolve(ROOT, 'node_modules/.bin')

/** A free loopback port (the kernel picks it; it is released before the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => done(port))
    })
  })
}

/** One GET without keep-alive; the status, or 0 when nothing answers. */
export function getStatus(url: string): Promise<number> {
  return new Promise((done) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume()
      res.on('end', () => done(res.statusCode ?? 0))
    })
    req.on('error', () => done(0))
    req.end()
  })
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/** Polls `url` every millisecond until it answers 200; the time that took, from `since`. */
export async function waitFor200(url: string, since: number, timeoutMs = 20_000, alive: () => boolean = () => true): Promise<number> {
  while ((await getStatus(url)) !== 200) {
    if (!alive()) throw new Error('the process exited')
    if (performance.now() - since > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
    await sleep(1)
  }
  return performance.now() - since
}

let bundleDir: string | undefined
process.once('exit', () => {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true })
})

/**
 * One of the benchmark's own servers (bench/bare-*.ts), or the server's entry, bundled by
 * esbuild into a temporary .mjs file: the way `npm run server` runs the real one, on plain
 * Node without tsx's loader (which would add its own start-up, memory and hooks thread).
 */
export function bundle(entry: string): string {
  bundleDir ??= mkdtempSync(join(tmpdir(), 'ig-connect-bench-bundles-'))
  const outfile = join(bundleDir, `${entry.replace(/[^a-z0-9]+/gi, '-')}.mjs`)
  // As server/bundle.mjs does: bundled CommonJS dependencies (ioredis) call require().
  const banner = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" }
  buildSync({ absWorkingDir: ROOT, entryPoints: [resolve(ROOT, entry)], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, banner, logLevel: 'error' })
  return outfile
}

/** The command that runs `bundle(entry)` with the Node flags `npm run server` uses. */
export function bundledCommand(entry: string): string {
  return ['node', ...serverNodeFlags(), bundle(entry)].join(' ')
}

/** The Node flags in `npm run server`'s command (`node --flag … script`), so the floors run alike. */
export function serverNodeFlags(): string[] {
  const [program, ...words] = serverScript().trim().split(/\s+/)
  return program === 'node' ? words.filter((word) => word.startsWith('-')) : []
}

/** The `npm run server` command line as package.json has it. */
export function serverScript(): string {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  const script = pkg.scripts.server
  if (!script) throw new Error('package.json has no "server" script')
  return script
}

export interface Spawned {
  child: ChildProcess
  /** The end of its stdout and stderr so far (for error messages). */
  output(): string
  /** SIGTERM to the process group this spawned, then SIGKILL after a second. */
  stop(): Promise<void>
}

/** Process groups still running, stopped if the benchmark exits early (an error, Ctrl-C). */
const running = new Set<number>()
process.once('exit', () => {
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))

/**
 * Runs a package.json-style command line (node_modules/.bin on PATH) in its own process group.
 * Its stdout and stderr go to a temporary file, as a server's log would in production: a pipe
 * would make the benchmark process read every request line, on the cores the load generator
 * needs, and a full pipe would block the server.
 */
export function spawnScript(command: string, env: Record<string, string>): Spawned {
  const logDir = mkdtempSync(join(tmpdir(), 'ig-connect-bench-log-'))
  const logPath = join(logDir, 'output.log')
  const logFd = openSync(logPath, 'w')
  const child = spawn('sh', ['-c', command], {
    cwd: ROOT,
    env: { ...process.env, ...env, PATH: `${BIN}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', logFd, logFd],
    detached: true,
  })
  closeSync(logFd)
  running.add(child.pid!)
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      running.delete(child.pid!)
      done()
    }),
  )
  const output = () => {
    try {
      return readFileSync(logPath, 'utf8').slice(-20_000)
    } catch {
      return ''
    }
  }
  return {
    child,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM')
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL')
          } catch {
            // already gone
          }
        }, 1000)
        await exited
        clearTimeout(timer)
      }
      rmSync(logDir, { recursive: true, force: true })
    },
  }
}

function descendants(pid: number): number[] {
  const out: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const current = queue.shift()!
    out.push(current)
    let children = ''
    try {
      for (const task of readdirSync(`/proc/${current}/task`)) children += readFileSync(`/proc/${current}/task/${task}/children`, 'utf8') + ' '
    } catch {
      continue
    }
    for (const child of children.split(/\s+/).filter(Boolean)) queue.push(Number(child))
  }
  return out
}

/**
 * The process, among `root` and its descendants, that holds the socket listening on `port`:
 * `npm run server` may go through a shell and a launcher before the server process itself.
 */
export function listeningPid(root: number, port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; field 9 is the inode.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(`socket:[${fields[9]}]`)
    }
  }
  for (const pid of descendants(root)) {
    let fds: string[] = []
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid
      } catch {
        // closed meanwhile
      }
    }
  }
  throw new Error(`no process under ${root} listens on port ${port}`)
}

/** User + system CPU time of a process so far, in milliseconds (Linux clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Resident set size of one process, from /proc (VmRSS). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no VmRSS for ${pid}`)
  return Number(match[1]) * 1024
}

/** VmRSS split (from /proc): pages mapped from files (the node executable, shared libraries) and the process's own. */
export function rssParts(pid: number): { file: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024
  return { file: kb('RssFile'), anon: kb('RssAnon') + kb('RssShmem') }
}

export interface ServerProcess extends Spawned {
  url: string
  port: number
  /** The process that listens (not the shell or a launcher in front of it). */
  pid: number
  /** spawn → first `GET /health` 200. */
  startMs: number
}

/** `npm run server`'s command (without npm itself) on `port` (default: a free one), once `/health` answers 200. */
export async function startServerProcess(env: Record<string, string>, command = serverScript(), port?: number): Promise<ServerProcess> {
  port ??= await freePort()
  const started = performance.now()
  const spawned = spawnScript(command, { HOST: '127.0.0.1', ...env, PORT: String(port) })
  const url = `http://127.0.0.1:${port}`
  let startMs: number
  try {
    startMs = await waitFor200(`${url}/health`, started, 20_000, () => spawned.child.exitCode === null && spawned.child.signalCode === null)
  } catch (error) {
    const output = spawned.output()
    await spawned.stop()
    throw new Error(`${command} did not start: ${(error as Error).message}\n${output}`)
  }
  return { ...spawned, url, port, pid: listeningPid(spawned.child.pid!, port), startMs }
}

export interface EmulatorProcess {
  url: string
  clientId: string
  clientSecret: string
  redirectUri: string
  pid: number
  /** Fresh authorization codes from the emulator's own state (as consent would issue them). */
  mint(count: number, username?: string): Promise<string[]>
  setLatency(ms: number): Promise<void>
  stop(): Promise<void>
}

type Reply = { id: number; codes?: string[]; error?: string }

/** What bench/emulator-process.ts hands to `startEmulator` (JSON on its command line). */
export interface EmulatorProcessOptions {
  autoApprove?: string
  latencyMs?: number
  /** Registered redirect URIs; default the extension's two. */
  redirectUris?: string[]
}

/** The Instagram emulator in a process of its own, so that it does not share the benchmark's event loop. */
export async function startEmulatorProcess(options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const child = fork(resolve(import.meta.dirname, '../emulator-process.ts'), [JSON.stringify(options)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ready = await new Promise<{ url: string; clientId: string; clientSecret: string; redirectUri: string }>((done, fail) => {
    child.once('message', (message) => done(message as never))
    child.once('exit', (code) => fail(new Error(`emulator process exited with ${code}`)))
  })
  let nextId = 0
  const pending = new Map<number, (reply: Reply) => void>()
  child.on('message', (message) => {
    const reply = message as Reply
    pending.get(reply.id)?.(reply)
    pending.delete(reply.id)
  })
  const ask = (message: Record<string, unknown>) =>
    new Promise<Reply>((done, fail) => {
      const id = ++nextId
      pending.set(id, (reply) => (reply.error ? fail(new Error(reply.error)) : done(reply)))
      child.send({ ...message, id })
    })
  return {
    ...ready,
    pid: child.pid!,
    async mint(count, username = 'jayposiris') {
      return (await ask({ type: 'mint', count, username })).codes ?? []
    },
    async setLatency(ms) {
      const response = await fetch(`${ready.url}/__emulator/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latency_ms: ms }),
      })
      if (!response.ok) throw new Error(`emulator settings answered ${response.status}: ${await response.text()}`)
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
      }),
  }
}

/** Server environment pointing at an emulator, with the rate limits out of the way. */
export function serverEnv(emulator: EmulatorProcess, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...serverEnvFor(emulator),
    RATE_LIMIT_PER_MINUTE: '1000000',
    READ_RATE_LIMIT_PER_MINUTE: '1000000',
    TOKEN_LIFETIME: 'long',
    ...extra,
  }
}
