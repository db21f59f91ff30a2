import { describe, expect, it } from 'vitest'
import { firefoxManifest, manifest } from '../../vite.config'

/**
 * SPEC "Extension behaviour": the extension pages' CSP allows `http:` only for loopback hosts
 * (issue 14), in the Chrome manifest and in the one the Firefox build derives from it.
 */

const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources] as const),
  )

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\*\.localhost)(:(\*|\d+))?$/

describe.each([
  ['Chrome', manifest.content_security_policy.extension_pages],
  ['Firefox', firefoxManifest(manifest).content_security_policy.extension_pages],
])('the %s build’s extension_pages CSP', (_browser, csp) => {
  it.each([['connect-src'], ['img-src']])('%s allows http: for loopback hosts only', (name) => {
    const sources = directives(csp).get(name) ?? []
    const http = sources.filter((s) => /^http:/i.test(s) || s === '*' || /^\*|^[a-z0-9.-]+(:\d+|:\*)?$/i.test(s))
    expect(http.length).toBeGreaterThan(0)
    for (const source of http) expect(source, `${name} ${source}`).toMatch(LOOPBACK_HTTP)
    // The emulator and a local server stay reachable; https: stays open for any server and Instagram's CDN.
    expect(sources).toContain('http://127.0.0.1:*')
    expect(sources).toContain('http://localhost:*')
    expect(sources).toContain('https:')
  })
})
