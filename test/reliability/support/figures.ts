import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Figures of one test file, for RELIABILITY.md. Written to `$RELIABILITY_OUT/<name>.json` when
 * the long runner (test/reliability/run.ts) sets that directory; kept in memory otherwise.
 */
export class Figures {
  readonly data: Record<string, unknown> = {}

  constructor(readonly name: string) {}

  set(key: string, value: unknown): void {
    this.data[key] = value
  }

  /** Adds `by` to a counter in a nested tally such as `statuses['/token']['200']`. */
  count(key: string, sub: string, by = 1): void {
    const tally = (this.data[key] ??= {}) as Record<string, number>
    tally[sub] = (tally[sub] ?? 0) + by
  }

  add(key: string, by = 1): void {
    this.data[key] = ((this.data[key] as number | undefined) ?? 0) + by
  }

  flush(): void {
    const dir = process.env.RELIABILITY_OUT
    if (!dir) return
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, `${this.name}.figures.json`), JSON.stringify(this.data, null, 2))
  }
}
