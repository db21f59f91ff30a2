import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The README and docs tell the truth (issue 14): their references resolve inside the
 * repository, and the Troubleshooting headings are words the popup really shows.
 */

const ROOT = resolve(import.meta.dirname, '../..')
const DOCS = ['README.md', 'RELIABILITY.md', 'BENCHMARKS.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8')

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')

describe.each(DOCS)('%s', (file) => {
  const text = read(file)
  const prose = text.replace(/```[\s\S]*?```/g, '')

  it('links only to files and headings that exist in the repository', () => {
    const broken: string[] = []
    for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue
      const [path, anchor] = target!.split('#') as [string, string | undefined]
      const file2 = path === '' ? file : join(dirname(file), path)
      if (!existsSync(join(ROOT, file2))) {
        broken.push(target!)
        continue
      }
      if (anchor !== undefined && file2.endsWith('.md')) {
        const headings = [...read(file2).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!))
        if (!headings.includes(anchor)) broken.push(target!)
      }
    }
    expect(broken).toEqual([])
  })

  it('names only repository paths that exist', () => {
    const missing = [...prose.matchAll(/`((?:src|server|test|docs|scripts|bench|public|\.ci)\/[\w./-]*)`/g)]
      .map((m) => m[1]!)
      .filter((path) => !path.includes('<') && !existsSync(join(ROOT, path)))
    expect(missing).toEqual([])
  })

  it('refers to nothing outside the repository (seed documents, issues, SPEC.md)', () => {
    expect(prose).not.toMatch(/seed documents?|\bissue #?\d+|\bSPEC\b|INSTAGRAM-TODAY|STYLE\.md|\.\.\/shared\//i)
  })
})

describe('README Troubleshooting', () => {
  it('has headings the popup really shows, so a person can search for them', () => {
    const section = read('README.md').split('## Troubleshooting')[1]!.split('\n## ')[0]!
    const headings = [...section.matchAll(/^- \*\*(.+?)\*\*/gm)].map((m) => m[1]!)
    const quoted = headings.flatMap((h) => [...h.matchAll(/"([^"]+)"/g)].map((m) => m[1]!))
    expect(quoted.length).toBeGreaterThanOrEqual(headings.length)
    // The popup's words: every title of src/lib/errors.ts and the headings of its views.
    const sources = [read('src/lib/errors.ts'), read('src/lib/worker-unavailable.ts'), ...readdirSync(join(ROOT, 'src/popup/views')).map((f) => read(`src/popup/views/${f}`))].join('\n')
    const shown = new Set([
      ...[...sources.matchAll(/title: '([^']+)'/g)].map((m) => m[1]!),
      ...[...sources.matchAll(/'([^'<>{}]+)'/g)].map((m) => m[1]!),
      ...[...sources.matchAll(/<h[12][^>]*>([^<{]+)</g)].map((m) => m[1]!.trim()),
    ])
    for (const heading of quoted) expect(shown.has(heading), heading).toBe(true)
    // What the issue found false: a wrong secret reads "Instagram is unavailable", not a code.
    expect(section).not.toMatch(/\*\*"upstream_error: /)
  })
})
