import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

/** One `PROBE {json}` line of support/probe.ts. */
export interface ProbeReport {
  event: 'stats' | 'exit-called' | 'still-alive' | 'exited'
  rss: number
  heapUsed: number
  resources: Record<string, number>
  code?: number
}

/**
 * `npm run server` (server/node.ts) as its own process, as an operator runs it, with the probe
 * preloaded. Its stdout lines (the request log) and stderr are kept for the secrets sweep.
 */
export class ServerProcess {
  readonly stdoutLines: string[] = []
  stderr = ''
  readonly reports: ProbeReport[] = []
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  url: Promise<string>
  #child: ChildProcess
  #partial = ''
  #waiters: { event: ProbeReport['event']; after: number; done: (r: ProbeReport) => void }[] = []

  constructor(env: Record<string, string>, options: { naturalExit?: boolean } = {}) {
    this.#child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--import', resolve('test/reliability/support/probe.ts'), resolve('server/node.ts')],
      {
        cwd: resolve('test/reliability'), // no .env here: the environment below is all it gets
        env: { PATH: process.env.PATH ?? '', NODE_PATH: resolve('node_modules'), ...(options.naturalExit ? { PROBE_NATURAL_EXIT: '1' } : {}), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    this.exited = new Promise((done) => this.#child.on('exit', (code, signal) => done({ code, signal, at: performance.now() })))
    this.url = new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`the server did not start: ${this.stderr}`)), 20_000)
      this.#child.stdout!.on('data', (chunk: Buffer) => {
        const lines = (this.#partial + chunk.toString()).split('\n')
        this.#partial = lines.pop()!
        for (const line of lines) {
          this.stdoutLines.push(line)
          const match = /listening on (http:\/\/\S+)/.exec(line)
          if (match) {
            clearTimeout(timer)
            done(match[1]!)
          }
        }
      })
      void this.exited.then(() => fail(new Error(`the server exited: ${this.stderr}`)))
    })
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
      for (const line of chunk.toString().split('\n')) {
        if (!line.startsWith('PROBE ')) continue
        const report = JSON.parse(line.slice(6)) as ProbeReport
        this.reports.push(report)
        this.#waiters = this.#waiters.filter((w) => {
          if (w.event !== report.event || this.reports.length <= w.after) return true
          w.done(report)
          return false
        })
      }
    })
  }

  get pid(): number {
    return this.#child.pid!
  }

  /** Memory after GC and the live resources, from inside the process. */
  stats(): Promise<ProbeReport> {
    return this.#next('stats', () => this.#child.kill('SIGUSR2'))
  }

  #next(event: ProbeReport['event'], trigger: () => void): Promise<ProbeReport> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no ${event} report from the server`)), 10_000)
      this.#waiters.push({ event, after: this.reports.length, done: (r) => (clearTimeout(timer), done(r)) })
      trigger()
    })
  }

  signal(name: NodeJS.Signals): number {
    this.#child.kill(name)
    return performance.now()
  }

  /** Request log lines (not the start-up banner, nor the shutdown's two lines). */
  get requestLines(): string[] {
    return this.stdoutLines.filter((line) => line !== '' && !/^(Instagram Connect exchange server listening| {2}|SIG[A-Z]+: stopping;|Stopped: )/.test(line))
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL')
  }
}
