import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'

export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server'

export interface RunningRedis {
  url: string
  port: number
  /** Stops it (SIGKILL: no goodbye to its clients, as when it crashes) and resolves on exit. */
  stop(): Promise<void>
}

/**
 * Debian's `redis-server` on 127.0.0.1:`port`, in memory only (no RDB or AOF file), resolving once
 * it accepts connections. Fails, never skips, when it is missing, saying how to get it.
 */
export function startRedis(port: number): Promise<RunningRedis> {
  if (!existsSync(REDIS_SERVER_PATH)) {
    throw new Error(`redis-server is not at ${REDIS_SERVER_PATH}. Install the Debian package \`redis-server\` (npm run setup does), or set REDIS_SERVER_PATH.`)
  }
  const child: ChildProcess = spawn(
    REDIS_SERVER_PATH,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => fail(new Error(`redis-server did not start: ${output}`)), 10_000)
    const fail = (error: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (!output.includes('Ready to accept connections')) return
      clearTimeout(timer)
      resolve({
        url: `redis://127.0.0.1:${port}`,
        port,
        async stop() {
          if (child.exitCode === null) child.kill('SIGKILL')
          await exited
        },
      })
    })
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}: ${output}`)))
  })
}
