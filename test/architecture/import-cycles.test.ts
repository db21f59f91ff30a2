import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * No import circles in server/ and src/ (issue 12 removed emulator/admin.ts ↔ emulator/app.ts and
 * src/lib/errors.ts ↔ src/lib/worker-unavailable.ts): each file reads alone, and a circle is a
 * sign two files should be one, or a third should hold what both need. Type-only imports count.
 */

const ROOT = resolve(import.meta.dirname, '../..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const base = resolve(dirname(from), specifier)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!)
  return specifiers.map((s) => resolveImport(file, s)).filter((f): f is string => f !== undefined)
}

/** Every circle, each as its files from the one that sorts first. */
function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]))
  const found = new Map<string, string[]>()
  const walk = (file: string, path: string[]) => {
    const at = path.indexOf(file)
    if (at >= 0) {
      const circle = path.slice(at).map((f) => relative(ROOT, f))
      const start = circle.indexOf([...circle].sort()[0]!)
      const normal = [...circle.slice(start), ...circle.slice(0, start)]
      found.set(normal.join(' → '), normal)
      return
    }
    if (path.length > 40) return
    for (const next of graph.get(file) ?? []) walk(next, [...path, file])
  }
  for (const file of files) walk(file, [])
  return [...found.values()]
}

describe('import graph', () => {
  for (const dir of ['server', 'src']) {
    it(`has no circles in ${dir}/`, () => {
      expect(cycles(sources(join(ROOT, dir))).map((c) => c.join(' → '))).toEqual([])
    })
  }
})
