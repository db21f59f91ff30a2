import { loadConfig, type Env } from '../../server/config'
import { startEmulator, type RunningEmulator, type StartEmulatorOptions, serverEnvFor } from '../../server/emulator'
import { startServer, type RunningServer } from '../../server/start'

/** Where the exchange server runs: Node (`server/start.ts`) or workerd (`server/worker.ts`, as deployed to Cloudflare). */
export type Runtime = 'node' | 'workerd'
export const RUNTIMES: readonly Runtime[] = ['node', 'workerd']

export interface Stack {
  runtime: Runtime
  serverUrl: string
  server: RunningServer
  emulator: RunningEmulator
  /** Every line the server logged, to check that no secret, token or code leaks. */
  logs: string[]
  /** Resolves once every line logged so far is in `logs` (workerd's log arrives through a pipe). */
  flushLogs(): Promise<void>
  /**
   * Resolves when a burst of requests will be counted in one rate-limit window. Node's limiter
   * opens a window at a client's first request; the Workers binding (and Miniflare's copy of
   * it) counts in fixed windows, so a burst that straddles one is counted twice as leniently.
   */
  awaitRateLimitWindow(burstMs?: number): Promise<void>
  close(): Promise<void>
}

export interface StackOptions {
  /** Extra or overriding server environment (IG_API, TOKEN_LIFETIME, ALLOWED_REDIRECT_URIS, …). */
  env?: Env
  emulator?: StartEmulatorOptions
  /** Default `node`. */
  runtime?: Runtime
}

/** The emulator and the exchange server wired to it, both on ephemeral loopback ports. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const runtime = options.runtime ?? 'node'
  const emulator = await startEmulator(options.emulator ?? {})
  const env: Env = {
    ...serverEnvFor(emulator),
    UPSTREAM_TIMEOUT_MS: '2000',
    RATE_LIMIT_PER_MINUTE: '1000',
    READ_RATE_LIMIT_PER_MINUTE: '1000',
    HOST: '127.0.0.1',
    PORT: '0',
    ...options.env,
  }
  const result = loadConfig(env)
  if (!result.ok) {
    await emulator.close()
    throw new Error(`bad test configuration:\n${result.errors.join('\n')}`)
  }

  if (runtime === 'workerd') {
    const bindings: Record<string, string> = {}
    for (const [name, value] of Object.entries(env)) if (value !== undefined && name !== 'HOST' && name !== 'PORT') bindings[name] = value
    // Loaded only here: Miniflare is a large import that Node-only stacks do not need.
    const { startWorker } = await import('../worker/workerd')
    let worker: Awaited<ReturnType<typeof startWorker>>
    try {
      // On Workers the limit is the binding's (wrangler.toml), not RATE_LIMIT_PER_MINUTE.
      worker = await startWorker({
        bindings,
        rateLimitPerMinute: result.config.rateLimitPerMinute,
        readRateLimitPerMinute: result.config.readRateLimitPerMinute,
      })
    } catch (error) {
      await emulator.close()
      throw error
    }
    return {
      runtime,
      serverUrl: worker.url,
      server: { url: worker.url, port: worker.port, close: worker.close },
      emulator,
      logs: worker.logs,
      flushLogs: worker.flushLogs,
      async awaitRateLimitWindow(burstMs = 5000) {
        const intoWindow = Date.now() % 60_000
        if (intoWindow + burstMs > 60_000) await new Promise((wake) => setTimeout(wake, 60_000 - intoWindow + 50))
      },
      async close() {
        await Promise.all([worker.close(), emulator.close()])
      },
    }
  }

  const logs: string[] = []
  const server = await startServer(result.config, { log: (line) => logs.push(line) })
  return {
    runtime,
    serverUrl: server.url,
    server,
    emulator,
    logs,
    flushLogs: async () => undefined,
    awaitRateLimitWindow: async () => undefined,
    async close() {
      await Promise.all([server.close(), emulator.close()])
    },
  }
}
