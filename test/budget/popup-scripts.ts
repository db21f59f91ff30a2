import { buildSync } from 'esbuild'
import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

/** Issue 7: the popup may load at most 10 KB of gzipped JavaScript (10 000 bytes, the stricter reading). */
export const POPUP_JS_BUDGET_BYTES = 10_000

export interface ScriptSize {
  /** Relative to the build directory, or `inline #n`. */
  file: string
  bytes: number
  /** `gzip -6`, gzip's default level. */
  gzipBytes: number
}

/**
 * Every script a page of the built extension loads before it can run: its `<script src>` and
 * `<link rel="modulepreload">` files, their inline scripts, and, transitively, the chunks they
 * import statically. Dynamic `import()`s are left out: they load later, if at all. The import
 * graph comes from esbuild's metafile, so strings that look like imports are never mistaken
 * for them.
 */
export function pageScripts(dir: string, page = 'popup.html'): ScriptSize[] {
  const buildDir = resolve(dir)
  const html = readFileSync(join(buildDir, page), 'utf8')
  const resolveUrl = (url: string) => (url.startsWith('/') ? join(buildDir, url) : resolve(dirname(join(buildDir, page)), url))
  const entries: string[] = []
  const sizes: ScriptSize[] = []
  for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1]
    if (src) entries.push(resolveUrl(src))
    else {
      const code = Buffer.from(tag.replace(/^<script\b[^>]*>|<\/script>$/gi, ''))
      if (code.toString().trim()) sizes.push({ file: `inline #${sizes.length + 1}`, bytes: code.length, gzipBytes: gzipSync(code).length })
    }
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1]
    if (href && /\brel\s*=\s*["']?modulepreload/i.test(tag)) entries.push(resolveUrl(href))
  }
  if (entries.length === 0) return sizes

  const { metafile } = buildSync({
    absWorkingDir: buildDir,
    entryPoints: entries,
    bundle: true,
    splitting: true,
    format: 'esm',
    write: false,
    metafile: true,
    outdir: join(buildDir, '.budget-out'), // not written (write: false)
    logLevel: 'silent',
  })
  const seen = new Set<string>()
  const visit = (path: string) => {
    if (seen.has(path)) return
    seen.add(path)
    for (const imported of metafile.inputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path)
    }
  }
  for (const entry of entries) visit(relative(buildDir, entry))
  for (const path of [...seen].sort()) {
    const code = readFileSync(join(buildDir, path))
    sizes.push({ file: path, bytes: code.length, gzipBytes: gzipSync(code).length })
  }
  return sizes
}

export function totalGzipBytes(sizes: readonly ScriptSize[]): number {
  return sizes.reduce((sum, s) => sum + s.gzipBytes, 0)
}
