import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, rmdir } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { Miniflare, type WorkerOptions } from 'miniflare'

/**
 * The exchange server as Cloudflare would run it, locally: the bundle `wrangler deploy` uploads
 * (built by `wrangler deploy --dry-run` from wrangler.toml, so a bad wrangler.toml or a Node
 * built-in in server/ fails here), run by workerd through Miniflare with the compatibility date,
 * flags, [vars] and rate-limiting binding wrangler reads from wrangler.toml.
 */

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js')
/** The binding server/worker.ts reads. */
export const RATE_LIMIT_BINDING = 'RATE_LIMITER'
/** Its twin for GET /me and GET /me/media. */
export const READ_RATE_LIMIT_BINDING = 'READ_RATE_LIMITER'

export interface WorkerBuild {
  /** The ES module `wrangler deploy` would upload. */
  script: string
  compatibilityDate: string
  compatibilityFlags: string[]
  /** wrangler.toml [vars]. */
  vars: Record<string, string>
  /** wrangler.toml [[ratelimits]], by binding name. */
  ratelimits: NonNullable<WorkerOptions['ratelimits']>
}

// What wrangler makes of wrangler.toml, in its own words (the same reading `wrangler dev` does).
const READ_CONFIG = `
const { unstable_getMiniflareWorkerOptions } = await import('wrangler')
const { workerOptions } = unstable_getMiniflareWorkerOptions(process.argv[1])
const { compatibilityDate, compatibilityFlags, bindings, ratelimits } = workerOptions
process.stdout.write(JSON.stringify({ compatibilityDate, compatibilityFlags, bindings, ratelimits }))
`

let build: Promise<WorkerBuild> | undefined

/** Builds once per test process (about two seconds: two wrangler runs, in parallel). */
export function buildWorker(): Promise<WorkerBuild> {
  build ??= (async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'ig-connect-worker-'))
    // Local only: no telemetry, no update check (it lives in the banner), no debug log in $HOME.
    const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', WRANGLER_LOG_PATH: outdir, NO_COLOR: '1' }
    try {
      const [, config] = await Promise.all([
        run(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir, '--config', join(ROOT, 'wrangler.toml')], { cwd: ROOT, env }).catch((error) => {
          throw new Error(`wrangler deploy --dry-run failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`)
        }),
        run(process.execPath, ['--input-type=module', '-e', READ_CONFIG, join(ROOT, 'wrangler.toml')], { cwd: ROOT, env }),
      ])
      const options = JSON.parse(config.stdout) as {
        compatibilityDate: string
        compatibilityFlags?: string[]
        bindings?: Record<string, unknown>
        ratelimits?: WorkerBuild['ratelimits']
      }
      const vars: Record<string, string> = {}
      for (const [name, value] of Object.entries(options.bindings ?? {})) if (typeof value === 'string') vars[name] = value
      return {
        script: await readFile(join(outdir, 'worker.js'), 'utf8'),
        compatibilityDate: options.compatibilityDate,
        compatibilityFlags: options.compatibilityFlags ?? [],
        vars,
        ratelimits: options.ratelimits ?? {},
      }
    } finally {
      await rm(outdir, { recursive: true, force: true })
      // wrangler bundles in <project>/.wrangler/tmp and leaves the empty folders behind. rmdir
      // removes only empty ones, so another wrangler at work (or `wrangler dev` state) is kept.
      for (const dir of ['.wrangler/tmp', '.wrangler']) await rmdir(join(ROOT, dir)).catch(() => undefined)
    }
  })()
  return build
}

export interface RunningWorker {
  /** Origin, e.g. `http://127.0.0.1:54321`. */
  url: string
  port: number
  /** workerd's stdout, one entry per line: what `wrangler tail` would show of console.log. */
  logs: string[]
  /** workerd's stderr, one entry per line (console.warn, console.error, runtime warnings). */
  errors: string[]
  /** Resolves once every line the worker printed before this call is in `logs`. */
  flushLogs(): Promise<void>
  close(): Promise<void>
}

export interface StartWorkerOptions {
  /** Variables and secrets, over wrangler.toml's [vars]. PUBLIC_URL defaults to the worker's own URL. */
  bindings: Record<string, string>
  /** The rate-limiting binding's `simple.limit` (wrangler.toml's when absent); the period stays. */
  rateLimitPerMinute?: number
  /** The same for the read binding's `simple.limit`. */
  readRateLimitPerMinute?: number
  /** Leave the rate-limiting binding out (the per-isolate fallback). */
  withoutRateLimit?: boolean
}

/** Serves the built worker on 127.0.0.1 on an ephemeral port, as `wrangler dev` would. */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const built = await buildWorker()
  const logs: string[] = []
  const errors: string[] = []
  const collect = (into: string[]) => {
    let partial = ''
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n')
      partial = lines.pop() ?? ''
      into.push(...lines.filter((line) => line !== ''))
    }
  }
  const limits = new Map([
    [RATE_LIMIT_BINDING, options.rateLimitPerMinute],
    [READ_RATE_LIMIT_BINDING, options.readRateLimitPerMinute],
  ])
  const ratelimits = Object.fromEntries(
    Object.entries(built.ratelimits).map(([name, binding]) => {
      const limit = limits.get(name)
      return [name, { ...binding, simple: { ...binding.simple, ...(limit ? { limit } : {}) } }]
    }),
  )
  const workerOptions = (bindings: Record<string, string>) => ({
    name: 'instagram-connect',
    modules: true,
    script: built.script,
    compatibilityDate: built.compatibilityDate,
    compatibilityFlags: built.compatibilityFlags,
    bindings: { ...built.vars, ...bindings },
    ...(options.withoutRateLimit ? {} : { ratelimits }),
  })
  const shared = {
    host: '127.0.0.1',
    // Miniflare's placeholder request.cf instead of fetching one from workers.cloudflare.com.
    cf: false,
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      stdout.on('data', collect(logs))
      stderr.on('data', collect(errors))
    },
  }

  // Like PORT=0 on Node, but links the worker hands out must name the real port, which has to
  // be in PUBLIC_URL before workerd starts (restarting it with setOptions costs seconds). So a
  // free port is picked first; if something takes it in between, pick again.
  let mf: Miniflare | undefined
  let url: URL | undefined
  for (let attempt = 1; !url; attempt++) {
    const port = await freePort()
    mf = new Miniflare({ ...shared, port, ...workerOptions({ PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.bindings }) })
    try {
      url = await mf.ready
    } catch (error) {
      await mf.dispose().catch(() => undefined)
      const message = error instanceof Error ? error.message : String(error)
      if (attempt < 3 && /address already in use/i.test(message)) {
        errors.length = 0
        continue
      }
      throw new Error(`workerd did not start: ${message}\n${errors.join('\n')}`)
    }
  }
  const ready = url
  const runtime = mf!

  return {
    url: ready.origin,
    port: Number(ready.port),
    logs,
    errors,
    async flushLogs() {
      // stdout is one ordered pipe: once a line logged after everything else arrives, all
      // earlier lines have. HEAD /config logs `HEAD /config 200 …`, an ordinary line (a healthy
      // /health is not logged).
      const marker = /^HEAD \/config \d{3} /
      const before = logs.length
      await fetch(`${ready.origin}/config`, { method: 'HEAD' })
      const deadline = Date.now() + 5000
      while (!logs.slice(before).some((line) => marker.test(line))) {
        if (Date.now() > deadline) throw new Error("workerd's log did not catch up within 5 s")
        await new Promise((wake) => setTimeout(wake, 20))
      }
    },
    close: () => runtime.dispose(),
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
