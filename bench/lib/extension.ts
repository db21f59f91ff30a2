import { chromiumArgs, prepareExtension } from '../../test/e2e/harness'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

const ROOT = resolve(import.meta.dirname, '../..')

import { CHROME_EXTENSION_ID } from '../../server/extension-ids'

/** The fixed id from manifest.json's `key` (server/extension-ids.ts). */
export { CHROME_EXTENSION_ID as EXTENSION_ID }

/**
 * `vite build` (the Chromium build, as `npm run build` makes dist/chrome) into a temporary
 * directory, so the benchmark measures the current source without touching dist/, which other
 * test runs may be reading.
 */
export function buildChromeExtension(): string {
  return viteBuild([])
}

/** The same for Firefox: `vite build --mode firefox` (dist/firefox) into a temporary directory. */
export function buildFirefoxExtension(): string {
  return viteBuild(['--mode', 'firefox'])
}

function viteBuild(args: string[]): string {
  const outDir = mkdtempSync(join(tmpdir(), 'ig-connect-bench-build-'))
  const result = spawnSync(resolve(ROOT, 'node_modules/.bin/vite'), ['build', ...args, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    rmSync(outDir, { recursive: true, force: true })
    throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`)
  }
  return outDir
}

/** A copy of the build that also grants `http://127.0.0.1/*` (ephemeral ports); see test/e2e/harness.ts. */
export function loadableCopy(buildDir: string): string {
  return prepareExtension(buildDir)
}

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/** Headless Chromium with the extension loaded, in a fresh profile, once its worker runs. */
export async function launchChromium(executablePath: string, extensionDir: string, extensionId: string): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ig-connect-bench-profile-'))
  const launching = chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: chromiumArgs(extensionDir),
  })
  const context = await launching.catch((error: unknown) => {
    rmSync(userDataDir, { recursive: true, force: true })
    throw error
  })
  const isOurs = (url: string) => url.startsWith(`chrome-extension://${extensionId}/`)
  try {
    if (!context.serviceWorkers().some((w) => isOurs(w.url()))) {
      await context.waitForEvent('serviceworker', { predicate: (w) => isOurs(w.url()), timeout: 15_000 })
    }
  } catch (error) {
    await context.close()
    rmSync(userDataDir, { recursive: true, force: true })
    throw error
  }
  return {
    context,
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export { chromiumArgs }

/** Which Chromium: CHROMIUM_PATH, or Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The server URL set on the options page as a user does it (the field, then Save). */
export async function saveServerUrl(context: BrowserContext, serverUrl: string): Promise<void> {
  const options = await context.newPage()
  await options.goto(`chrome-extension://${CHROME_EXTENSION_ID}/options.html`)
  await options.getByLabel('Server URL').fill(serverUrl)
  await options.getByRole('button', { name: 'Save', exact: true }).click()
  await options.getByText('Saved.').first().waitFor()
  await options.close()
}
