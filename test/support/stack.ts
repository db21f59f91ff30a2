import { loadConfig, type Env } from '../../server/config'
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../server/emulator'
import { startServer, type RunningServer } from '../../server/start'

export interface Stack {
  serverUrl: string
  server: RunningServer
  emulator: RunningEmulator
  /** Every line the server logged, to check that no secret, token or code leaks. */
  logs: string[]
  close(): Promise<void>
}

export interface StackOptions {
  /** Extra or overriding server environment (IG_API, TOKEN_LIFETIME, ALLOWED_REDIRECT_URIS, …). */
  env?: Env
  emulator?: StartEmulatorOptions
}

/** The emulator and the exchange server wired to it, both on ephemeral loopback ports. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator(options.emulator ?? {})
  const env: Env = {
    IG_CLIENT_ID: emulator.clientId,
    IG_CLIENT_SECRET: emulator.clientSecret,
    IG_AUTHORIZE_URL: `${emulator.url}/oauth/authorize`,
    IG_TOKEN_URL: `${emulator.url}/oauth/access_token`,
    IG_GRAPH_URL: emulator.url,
    UPSTREAM_TIMEOUT_MS: '2000',
    RATE_LIMIT_PER_MINUTE: '1000',
    HOST: '127.0.0.1',
    PORT: '0',
    ...options.env,
  }
  const result = loadConfig(env)
  if (!result.ok) {
    await emulator.close()
    throw new Error(`bad test configuration:\n${result.errors.join('\n')}`)
  }
  const logs: string[] = []
  const server = await startServer(result.config, { log: (line) => logs.push(line) })
  return {
    serverUrl: server.url,
    server,
    emulator,
    logs,
    async close() {
      await Promise.all([server.close(), emulator.close()])
    },
  }
}
