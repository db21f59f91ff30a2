import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * `npm run server` as a person runs it: a real process (exactly the package.json script,
 * `node <flags> server/launch.mjs`, with the path made absolute so a test can run it from another
 * working directory), configured by the environment given and nothing else.
 */
const SERVER_SCRIPT = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { server: string } }).scripts.server.split(' ')
const [SERVER_NODE, ...SERVER_ARGS] = SERVER_SCRIPT
if (SERVER_NODE !== 'node') throw new Error(`npm run server is no longer a node command: ${SERVER_SCRIPT.join(' ')}`)
const ARGS = SERVER_ARGS.map((arg) => (arg.endsWith('.mjs') || arg.endsWith('.ts') ? resolve(arg) : arg))

export interface Run {
  stdout: string
  stderr: string
  exitCode: Promise<number | null>
  kill(signal?: NodeJS.Signals): void
  /** Resolves with the first match of `pattern` in stdout; rejects after 15 s. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>
  /** Resolves with the URL from the start-up banner. */
  url(): Promise<string>
}

/** Every server started here; `killAll` ends those a failing test did not stop. */
const running = new Set<ReturnType<typeof spawn>>()

/** Starts `npm run server` with exactly `env` (plus PATH) in `cwd`. */
export function runServer(env: Record<string, string>, cwd = process.cwd()): Run {
  const child = spawn(process.execPath, ARGS, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  const result: Run = {
    stdout: '',
    stderr: '',
    exitCode: new Promise((done) => child.on('exit', (code) => done(code))),
    kill: (signal = 'SIGTERM') => child.kill(signal),
    waitFor: (pattern) =>
      new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`timed out waiting for ${pattern}; stdout: ${result.stdout} stderr: ${result.stderr}`)), 15_000)
        const check = () => {
          const match = pattern.exec(result.stdout)
          if (match) {
            clearTimeout(timer)
            child.stdout.off('data', check)
            done(match)
          }
        }
        child.stdout.on('data', check)
        check()
      }),
    url: async () => (await result.waitFor(/listening on (http:\/\/\S+)/))[1]!,
  }
  child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()))
  return result
}

/** SIGKILLs every server `runServer` started that is still running (an `afterEach`). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL')
}
