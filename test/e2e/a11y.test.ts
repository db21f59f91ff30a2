/**
 * Issue 16, measured in a real Chromium: every popup state, the account switcher open, the
 * options page (with its account list) and the welcome page, in English and Brazilian
 * Portuguese (the browser's UI language, `--lang`), each in the light and the dark scheme
 * (`prefers-color-scheme` through Playwright's `colorScheme`), audited by axe-core at WCAG 2.2
 * A and AA with 0 violations. The counts are printed. Each state is also saved as a
 * PNG per language and scheme (copied to docs/screenshots/ by a passing run with
 * UPDATE_SCREENSHOTS=1).
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messageIn } from '../support/i18n'
import { startStack, type Stack } from '../support/stack'
import { audit, type AuditResult } from './axe'
import { everyTestPassed, publishScreenshots } from './common'
import { assertPrerequisites, emulatorAdmin, launchBrowser, OPTIONS_URL, openPopup, PAGE_VIEWPORT, prepareExtension, screenshot, unusedPort, writeStorage, type Browser } from './harness'
import { USER, USER_B } from './scenarios'

const TIMEOUT = 120_000
const SCHEMES = ['light', 'dark'] as const
const results: AuditResult[] = []
/** The PNGs this file saved. */
const pictures: string[] = []
let stack: Stack
let extensionDir: string

beforeAll(async () => {
  assertPrerequisites()
  stack = await startStack()
  extensionDir = prepareExtension()
})

// vitest wants the first argument (the fixtures) destructured; the second is this file.
afterAll(async ({}, file) => {
  await stack?.close()
  // Only a run in which every test passed refreshes the README's pictures, and only this file's.
  publishScreenshots(everyTestPassed(file), pictures)
  const total = results.reduce((sum, r) => sum + r.violations, 0)
  console.log(`axe-core, WCAG 2.2 A and AA: ${results.length} audits, ${total} violations\n${results.map((r) => `  ${r.name}: ${r.violations} violations, ${r.passes} rules passed`).join('\n')}`)
})

const view = (popup: Page, kind: string) => popup.locator(`.popup[data-view="${kind}"]`).waitFor({ timeout: 15_000 })

for (const lang of ['en', 'pt-BR'] as const) {
  describe(`axe-core in ${lang}, light and dark`, () => {
    let browser: Browser
    let context: BrowserContext
    const say = (id: string, ...subs: (string | number)[]) => messageIn(lang, id, ...subs)

    beforeAll(async () => {
      browser = await launchBrowser(extensionDir, { lang })
      context = browser.context
    })

    afterAll(async () => {
      await browser?.close()
    })

    /** Audits `page` in both schemes (and saves the popup's picture in each); 0 violations. */
    async function check(page: Page, what: string, picture?: string): Promise<void> {
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
        await page.evaluate(() => new Promise(requestAnimationFrame))
        const result = await audit(page, `${lang} ${scheme} ${what}`)
        results.push(result)
        if (picture !== undefined && !(lang === 'en' && scheme === 'light')) {
          // English light pictures come from chromium.test.ts under their plain names.
          const name = [picture, lang === 'en' ? '' : lang, scheme === 'dark' ? 'dark' : ''].filter(Boolean).join('-')
          await screenshot(page.locator(picture.startsWith('popup') ? '.popup' : 'body'), name)
          pictures.push(`${name}.png`)
        }
        expect(result.details, `${result.name}: axe-core violations`).toEqual([])
      }
      await page.emulateMedia({ colorScheme: 'light' })
    }

    it('shows the popup in the browser’s language', async () => {
      const popup = await openPopup(context)
      await popup.locator('.popup:not([data-view="loading"])').waitFor()
      expect(await popup.evaluate(() => document.documentElement.lang)).toBe(lang)
      await popup.getByRole('button', { name: lang === 'pt-BR' ? 'Conectar Instagram' : 'Connect Instagram', exact: true }).waitFor()
      await popup.close()
    }, TIMEOUT)

    it('the welcome page, with the server down and then up: 0 violations', async () => {
      const page = browser.welcome
      if (page === undefined) throw new Error('a fresh profile opens the welcome page on install')
      await page.setViewportSize(PAGE_VIEWPORT)
      expect(await page.title()).toBe(say('welcome_document_title'))
      // A server where nothing listens: not the default 127.0.0.1:8787, where a developer's
      // `npm start` may be running beside the tests.
      await writeStorage(page, 'local', { serverUrl: `http://127.0.0.1:${await unusedPort()}` })
      await page.reload()
      await page.getByText(say('welcome_not_ready')).waitFor({ timeout: 20_000 })
      await check(page, 'welcome, server down', 'welcome-server-down')
      await writeStorage(page, 'local', { serverUrl: stack.serverUrl })
      await page.reload()
      await page.getByText(say('welcome_ready')).waitFor({ timeout: 20_000 })
      await check(page, 'welcome', 'welcome')
    }, TIMEOUT)

    it('every popup state, connect to error: 0 violations', async () => {
      const popup = await openPopup(context)
      await writeStorage(popup, 'local', { serverUrl: '' })
      await view(popup, 'not_configured')
      await check(popup, 'popup not configured', 'popup-not-configured')

      await writeStorage(popup, 'local', { serverUrl: stack.serverUrl })
      await view(popup, 'disconnected')
      await check(popup, 'popup disconnected', 'popup-disconnected')

      const [consent] = await Promise.all([context.waitForEvent('page'), popup.getByRole('button', { name: say('button_connect'), exact: true }).click()])
      await view(popup, 'connecting')
      await check(popup, 'popup connecting', 'popup-connecting')

      await consent.getByRole('button', { name: 'Authorize' }).click()
      await view(popup, 'connected')
      await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
      await expect.poll(() => popup.locator('.sync').textContent(), { timeout: 15_000 }).toBe('\u00a0')
      await expect.poll(() => popup.evaluate(() => [...document.images].every((img) => img.complete))).toBe(true)
      await check(popup, 'popup connected', 'popup-connected')

      // A second account, then the account switcher open on both.
      await popup.locator('.switcher-button').click()
      await popup.getByRole('listbox', { name: say('switcher_label') }).waitFor()
      const [addPage] = await Promise.all([context.waitForEvent('page'), popup.getByRole('button', { name: say('button_add_account'), exact: true }).click()])
      await addPage.locator(`input[type="radio"][name="username"][value="${USER_B}"]`).check()
      await addPage.getByRole('button', { name: 'Authorize' }).click()
      await popup.getByRole('heading', { name: `@${USER_B}` }).waitFor()
      await expect.poll(() => popup.locator('.sync').textContent(), { timeout: 15_000 }).toBe('\u00a0')
      await popup.locator('.switcher-button').click()
      await popup.locator('[role="option"]:focus').waitFor()
      await check(popup, 'popup account switcher open', 'popup-switcher')
      await popup.keyboard.press('Escape')
      await popup.close()

      await emulatorAdmin(stack.emulator.url, 'revoke', {})
      const again = await openPopup(context)
      await view(again, 'reconnect')
      await check(again, 'popup reconnect', 'popup-reconnect')

      const [cancelPage] = await Promise.all([context.waitForEvent('page'), again.getByRole('button', { name: say('button_reconnect'), exact: true }).click()])
      await cancelPage.getByRole('button', { name: 'Cancel' }).click()
      await view(again, 'error')
      await again.getByRole('heading', { name: say('error_cancelled_title') }).waitFor()
      await check(again, 'popup error', 'popup-error-cancelled')
      await again.getByRole('button', { name: say('button_dismiss'), exact: true }).click()
      await again.close()
    }, TIMEOUT)

    it('the options page, before and after Test connection and with a refused URL: 0 violations', async () => {
      const page = await context.newPage()
      await page.setViewportSize(PAGE_VIEWPORT)
      await page.goto(OPTIONS_URL)
      await page.getByRole('heading', { name: say('test_title') }).waitFor()
      expect(await page.title()).toBe(say('options_document_title'))
      await check(page, 'options')

      await page.getByRole('button', { name: say('test_title'), exact: true }).click()
      await page.getByText(say('test_passed')).waitFor()
      await check(page, 'options after Test connection', 'options')

      await page.getByLabel(say('server_url_label'), { exact: true }).fill('http://example.com')
      await page.getByRole('button', { name: say('button_save'), exact: true }).click()
      await page.getByText(say('url_insecure')).waitFor()
      await check(page, 'options with a refused URL')
      await page.close()
    }, TIMEOUT)
  })
}
