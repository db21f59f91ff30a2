/**
 * The Firefox build (dist/firefox) is the Chromium build with Firefox's manifest: same pages,
 * permissions and policy; an event page; the fixed gecko id; no Chrome-only keys.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIREFOX_EXTENSION_ID, FIREFOX_REDIRECT_URI } from '../../server/extension-ids'

const FIREFOX = resolve('dist/firefox')
const CHROME = resolve('dist/chrome')
const read = (dir: string) => {
  const path = join(dir, 'manifest.json')
  if (!existsSync(path)) throw new Error(`${path} is missing. Run \`npm run build\` first (\`npm test\` does).`)
  return JSON.parse(readFileSync(path, 'utf8'))
}

describe('dist/firefox', () => {
  const firefox = read(FIREFOX)
  const chrome = read(CHROME)

  it('runs the worker as an event page (Firefox has no extension service workers)', () => {
    expect(firefox.background.service_worker).toBeUndefined()
    expect(firefox.background.type).toBe('module')
    expect(firefox.background.scripts).toHaveLength(1)
    const loader = readFileSync(join(FIREFOX, firefox.background.scripts[0]), 'utf8')
    for (const m of loader.matchAll(/import\s*\(?\s*'\.\/([^']+)'/g)) expect(existsSync(join(FIREFOX, m[1]!)), m[1]).toBe(true)
  })

  it('has the fixed gecko id, whose sha1 is the redirect host', () => {
    const gecko = firefox.browser_specific_settings.gecko
    expect(gecko.id).toBe(FIREFOX_EXTENSION_ID)
    expect(`https://${createHash('sha1').update(gecko.id).digest('hex')}.extensions.allizom.org/`).toBe(FIREFOX_REDIRECT_URI)
  })

  it('needs Firefox 140 (data_collection_permissions) and declares the data it transmits', () => {
    const gecko = firefox.browser_specific_settings.gecko
    expect(gecko.strict_min_version).toBe('140.0')
    expect(gecko.data_collection_permissions).toEqual({ required: ['authenticationInfo'] })
  })

  it('has no Chrome-only keys', () => {
    expect(firefox).not.toHaveProperty('key')
    expect(firefox).not.toHaveProperty('minimum_chrome_version')
  })

  it('names hosts without ports, which Firefox cannot match', () => {
    expect(firefox.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*'])
    expect(firefox.optional_host_permissions).toEqual(chrome.optional_host_permissions)
  })

  it('keeps everything else as in the Chromium build', () => {
    for (const key of ['manifest_version', 'name', 'version', 'description', 'icons', 'action', 'options_ui', 'permissions', 'content_security_policy']) {
      expect(firefox[key], key).toEqual(chrome[key])
    }
    for (const page of ['popup.html', 'options.html', ...Object.values(firefox.icons as Record<string, string>)]) expect(existsSync(join(FIREFOX, page)), page).toBe(true)
  })
})
