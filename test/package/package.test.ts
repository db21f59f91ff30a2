/**
 * `npm run package`, tested as the stores and a reviewer use its output:
 * - the Chrome Web Store zip, unzipped, loads in Chromium (under the id Chromium gives a build
 *   without `key`, as the store does) and passes the connect scenario against a server that
 *   allows that id's redirect URL, the way README "Publishing" says to allow the store's;
 * - `web-ext lint` of the addons.mozilla.org package has no errors;
 * - the sources archive, unpacked in an empty folder, builds with `npm ci && npm run build` to
 *   the very files of both packages (SHA-256 of each).
 *
 * Packages the build `npm test` has just made (SKIP_BUILD=1) into a temporary ARTIFACTS_DIR, so
 * it never rebuilds dist/ under the other end-to-end tests.
 */
import { createHash } from 'node:crypto'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import webExt from 'web-ext'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { folderEntries, unzip } from '../../scripts/lib/zip'
import { CHROME_EXTENSION_ID } from '../../server/extension-ids'
import { startStack, type Stack } from '../support/stack'
import { chromiumDriver } from '../e2e/chromium-driver'
import { assertPrerequisites, launchBrowser, prepareExtension, type Browser } from '../e2e/harness'
import * as scenarios from '../e2e/scenarios'

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string }
const NAMES = {
  chrome: `${pkg.name}-${pkg.version}-chrome.zip`,
  firefox: `${pkg.name}-${pkg.version}-firefox.zip`,
  sources: `${pkg.name}-${pkg.version}-sources.zip`,
}

let artifacts: string
const temporary: string[] = []
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  temporary.push(dir)
  return dir
}

/** Writes a ZIP's files into a new empty folder and returns it. */
async function unpack(archive: string, prefix: string): Promise<string> {
  const dir = tempDir(prefix)
  for (const [name, data] of await unzip(readFileSync(join(artifacts, archive)))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), data)
  }
  return dir
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')
const hashes = (files: Iterable<[string, Uint8Array]>) => Object.fromEntries([...files].map(([name, data]) => [name, sha256(data)]))

beforeAll(() => {
  assertPrerequisites()
  artifacts = tempDir('ic-artifacts-')
  execFileSync('npm', ['run', '--silent', 'package'], { env: { ...process.env, SKIP_BUILD: '1', ARTIFACTS_DIR: artifacts }, stdio: 'pipe' })
}, 60_000)

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true })
})

describe('npm run package', () => {
  it('writes the three archives, named with the version from package.json', () => {
    expect(readdirSync(artifacts).sort()).toEqual([NAMES.chrome, NAMES.firefox, NAMES.sources])
  })

  it('takes the version from package.json into both manifests, and leaves the key out of the Chrome Web Store one', async () => {
    const chrome = JSON.parse((await unzip(readFileSync(join(artifacts, NAMES.chrome)))).get('manifest.json')!.toString())
    const firefox = JSON.parse((await unzip(readFileSync(join(artifacts, NAMES.firefox)))).get('manifest.json')!.toString())
    expect(chrome.version).toBe(pkg.version)
    expect(firefox.version).toBe(pkg.version)
    expect(chrome).not.toHaveProperty('key')
    expect(firefox.browser_specific_settings.gecko.id).toBe('instagram-connect@instagram-connect.dev')
    expect(JSON.parse(readFileSync('manifest.json', 'utf8'))).not.toHaveProperty('version')
  })

  it('packs the same bytes on every run', async () => {
    const again = tempDir('ic-artifacts-again-')
    execFileSync('npm', ['run', '--silent', 'package'], { env: { ...process.env, SKIP_BUILD: '1', ARTIFACTS_DIR: again }, stdio: 'pipe' })
    for (const name of Object.values(NAMES)) {
      if (name === NAMES.sources) continue // its README names the npm that ran; the same here, but not a promise
      expect(sha256(readFileSync(join(again, name))), name).toBe(sha256(readFileSync(join(artifacts, name))))
    }
  }, 30_000)

  describe('the Chrome Web Store zip, unzipped and loaded in Chromium', () => {
    let browser: Browser
    let stack: Stack

    beforeAll(async () => {
      browser = await launchBrowser(prepareExtension(await unpack(NAMES.chrome, 'ic-chrome-store-')))
      // The store gives the item its own id; its redirect URL is registered with Instagram (the
      // emulator) and allowed on the server.
      const redirectUri = `https://${browser.id}.chromiumapp.org/`
      stack = await startStack({ env: { ALLOWED_REDIRECT_URIS: redirectUri }, emulator: { redirectUris: [redirectUri] } })
    }, 60_000)

    afterAll(async () => {
      await browser?.close()
      await stack?.close()
    })

    it('runs under an id of its own, not the one the development key fixes', () => {
      expect(browser.id).toMatch(/^[a-p]{32}$/)
      expect(browser.id).not.toBe(CHROME_EXTENSION_ID)
    })

    it('connects: Connect Instagram, Authorize in the Instagram window, then @username', async () => {
      const driver = chromiumDriver(browser.context, browser.id, tempDir('ic-chrome-store-shots-'))
      await scenarios.reportsRedirectUrl(driver)
      await scenarios.connects(driver, stack)
    }, scenarios.SCENARIO_TIMEOUT)
  })

  it('gives addons.mozilla.org a package that web-ext lint passes with no errors', async () => {
    const dir = await unpack(NAMES.firefox, 'ic-amo-')
    const result = await webExt.cmd.lint({ sourceDir: dir, output: 'none', boring: true }, { shouldExitProgram: false })
    expect(result.errors.map((e) => `${e.code} in ${e.file ?? '?'}: ${e.message}`)).toEqual([])
    expect(result.metadata).toMatchObject({ id: 'instagram-connect@instagram-connect.dev', manifestVersion: 3 })
  }, 60_000)

  it('gives a sources archive that builds, in an empty folder, to the very files of both packages', async () => {
    const dir = await unpack(NAMES.sources, 'ic-sources-')
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('npm ci\nnpm run build-for-amo')
    // A reviewer's shell, not vitest's environment: vitest sets NODE_ENV=test, which changes what
    // Vite builds. npm's own settings (its cache folder) stay.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')))
    // From npm's cache, which `npm ci` before `npm test` has filled: the install takes seconds
    // rather than minutes. Only if something is missing there does npm go to the registry.
    const ci = (mode: string) => spawnSync('npm', ['ci', mode, '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, env, encoding: 'utf8' })
    let install = ci('--offline')
    if (install.status !== 0) install = ci('--prefer-offline')
    expect(install.status, install.stderr).toBe(0)
    const build = spawnSync('npm', ['run', 'build'], { cwd: dir, env, encoding: 'utf8' })
    expect(build.status, build.stderr).toBe(0)

    const firefox = await unzip(readFileSync(join(artifacts, NAMES.firefox)))
    const rebuiltFirefox = folderEntries(join(dir, 'dist/firefox')).map((e) => [e.name, e.data as Buffer] as [string, Buffer])
    expect(hashes(rebuiltFirefox)).toEqual(hashes(firefox))

    // The Chrome zip is dist/chrome with `key` taken out of the manifest: the same files otherwise.
    const chrome = await unzip(readFileSync(join(artifacts, NAMES.chrome)))
    const rebuiltChrome = new Map(folderEntries(join(dir, 'dist/chrome')).map((e) => [e.name, e.data as Buffer]))
    const { key, ...withoutKey } = JSON.parse(rebuiltChrome.get('manifest.json')!.toString())
    expect(key).toBeTypeOf('string')
    expect(JSON.parse(chrome.get('manifest.json')!.toString())).toEqual(withoutKey)
    rebuiltChrome.delete('manifest.json')
    chrome.delete('manifest.json')
    expect(hashes(rebuiltChrome)).toEqual(hashes(chrome))
  }, 300_000)
})
