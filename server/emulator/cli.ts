/**
 * `npm run emulator`: serve the Instagram emulator from the environment and print how to
 * point the exchange server at it. Never prints codes or tokens (the secret is a fake).
 */
import { startEmulator } from './start'
import type { RunningEmulator, StartEmulatorOptions } from './start'
import type { TokenShape } from './state'
import { serverEnvFor } from './server-env'

function fail(message: string): never {
  console.error(`emulator: ${message}`)
  process.exit(1)
}

function optionsFromEnv(env: NodeJS.ProcessEnv): StartEmulatorOptions {
  const options: StartEmulatorOptions = {
    host: env.EMULATOR_HOST || '127.0.0.1',
    port: 8788,
    log: (line) => console.log(line),
  }
  if (env.EMULATOR_PORT) {
    const port = Number(env.EMULATOR_PORT)
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`EMULATOR_PORT must be a port number, got "${env.EMULATOR_PORT}"`)
    options.port = port
  }
  if (env.EMULATOR_CLIENT_ID) options.clientId = env.EMULATOR_CLIENT_ID
  if (env.EMULATOR_CLIENT_SECRET) options.clientSecret = env.EMULATOR_CLIENT_SECRET
  if (env.EMULATOR_REDIRECT_URIS) {
    const uris = env.EMULATOR_REDIRECT_URIS.split(',').map((u) => u.trim()).filter(Boolean)
    for (const uri of uris) {
      if (!URL.canParse(uri)) fail(`EMULATOR_REDIRECT_URIS: "${uri}" is not a URL`)
    }
    if (uris.length > 0) options.redirectUris = uris
  }
  if (env.EMULATOR_TOKEN_SHAPE) {
    if (env.EMULATOR_TOKEN_SHAPE !== 'flat' && env.EMULATOR_TOKEN_SHAPE !== 'wrapped') {
      fail(`EMULATOR_TOKEN_SHAPE must be "flat" or "wrapped", got "${env.EMULATOR_TOKEN_SHAPE}"`)
    }
    options.tokenShape = env.EMULATOR_TOKEN_SHAPE as TokenShape
  }
  return options
}

function banner(running: RunningEmulator): string {
  const users = running.users.map((u) => `  ${u.username.padEnd(16)} user_id ${u.userId}  ${u.accountType}, ${u.media.length} media`)
  return [
    `Instagram emulator listening on ${running.url}  (not the real Instagram)`,
    '',
    `client id:     ${running.clientId}`,
    `client secret: ${running.clientSecret}  (fake)`,
    'redirect URIs:',
    ...running.redirectUris.map((u) => `  ${u}`),
    'test users:',
    ...users,
    '',
    'Point the exchange server at it:',
    ...Object.entries(serverEnvFor(running)).map(([name, value]) => `  ${name}=${value}`),
    '',
    'Fault hook (the next upstream call fails; every kind and setting is in the README, "The Instagram emulator"):',
    `  curl -X POST ${running.url}/__emulator/faults -H 'Content-Type: application/json' -d '{"kind":"http500","count":1}'`,
    `  curl -X POST ${running.url}/__emulator/faults -H 'Content-Type: application/json' -d '{"kind":"graph-error","code":17,"match":"profile"}'`,
    '',
  ].join('\n')
}

async function main(): Promise<void> {
  const options = optionsFromEnv(process.env)
  let running: RunningEmulator
  try {
    running = await startEmulator(options)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') fail(`port ${options.port} on ${options.host} is already in use; set EMULATOR_PORT to another port`)
    if (code === 'EADDRNOTAVAIL') fail(`cannot listen on ${options.host}; check EMULATOR_HOST`)
    fail(err instanceof Error ? err.message : String(err))
  }
  console.log(banner(running))
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    running.close().then(() => process.exit(0), () => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
