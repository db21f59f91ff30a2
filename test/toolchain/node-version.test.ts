import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/**
 * Node 20 reached end of life on 2026-04-30. The project pins a supported Node as a dev
 * dependency (the registry's `node` package), and npm puts `node_modules/.bin` first on every
 * script's PATH, so `npm test` — and CI, which runs it — must be running on that Node, not on
 * whatever Node started npm.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string }
  devDependencies: Record<string, string>
}
const major = (version: string): number => Number(/(\d+)/.exec(version)?.[1])

describe('the Node the tests run on', () => {
  it('is the pinned Node from devDependencies', () => {
    expect(pkg.devDependencies.node).toBeDefined()
    expect(major(process.version)).toBe(major(pkg.devDependencies.node!))
  })

  it('is inside engines, which names only supported lines (22.12 and newer)', () => {
    expect(pkg.engines.node).toBe('>=22.12')
    expect(major(process.version)).toBeGreaterThanOrEqual(22)
  })
})
