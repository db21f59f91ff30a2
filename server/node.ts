/**
 * `npm run server`: the exchange server on Node, configured from the environment (and `.env`).
 * Exits 1 with one line per configuration problem.
 */
import { existsSync } from 'node:fs'
import { loadConfig } from './config'
import { startServer } from './start'

if (existsSync('.env')) process.loadEnvFile('.env')

const result = loadConfig(process.env)
if (!result.ok) {
  console.error('The exchange server cannot start; fix these settings (environment or .env):')
  for (const problem of result.errors) console.error(`  ${problem}`)
  process.exit(1)
}
const config = result.config

// Request lines are written once per event-loop turn, after that turn's responses have gone
// out: a console.log per request is a synchronous write to a pipe or terminal in the middle of
// the response's path (BENCHMARKS.md, row 1).
let pending: string[] = []
const flush = () => {
  if (pending.length === 0) return
  const lines = pending
  pending = []
  process.stdout.write(`${lines.join('\n')}\n`)
}
const log = (line: string) => {
  if (pending.push(line) === 1) setImmediate(flush)
}
process.once('exit', flush)

/** A configured URL as the start banner shows it: whole, but never with a user or password in it. */
function withoutCredentials(value: string): string {
  const url = new URL(value)
  url.username = ''
  url.password = ''
  return url.href
}

try {
  const server = await startServer(config, { log })
  console.log(`Instagram Connect exchange server listening on ${server.url} (${config.api}, ${config.tokenLifetime}-lived tokens)`)
  console.log(`  Instagram: authorize ${withoutCredentials(config.authorizeUrl)}, token ${withoutCredentials(config.tokenUrl)}, Graph ${withoutCredentials(config.graphUrl)}`)
  console.log(`  allowed redirect URIs: ${config.allowedRedirectUris.join(', ')}`)
  for (const warning of result.warnings) console.log(warning)
  // Graceful: no new connections, in-flight requests get SHUTDOWN_GRACE_MS, then 503
  // shutting_down; exit 0. A second signal is not caught, so it ends the process at once.
  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: stopping; requests in flight have up to ${config.shutdownGraceMs} ms to finish.`)
    void server.shutdown!().then(({ finished, cutOff }) => {
      log(`Stopped: ${finished} requests finished, ${cutOff} answered 503 shutting_down.`)
      process.exit(0)
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') {
    console.error(`Port ${config.port} on ${config.host} is already in use; stop what is using it or set PORT to another port.`)
  } else {
    console.error(`The exchange server could not listen on ${config.host}:${config.port} (${code ?? 'unknown error'}).`)
  }
  process.exit(1)
}
