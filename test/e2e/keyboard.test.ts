/**
 * Issue 16: the extension with the keyboard alone, in a real Chromium. Only Tab, Shift-Tab,
 * Enter, Space, arrows and Escape are pressed (on the emulator's consent page too): the options
 * page's Test connection, then Connect, Authorize, connected, Add account and switching back
 * with the account switcher, Disconnect, an error dismissed with Escape. After every state change the focus is asserted: where it lands, and that it is
 * visible (`:focus-visible` with a solid outline of at least 2 px); the live regions say what
 * changed.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'
import { assertPrerequisites, launchBrowser, OPTIONS_URL, openPopup, prepareExtension, writeStorage, type Browser } from './harness'
import { USER, USER_B } from './scenarios'

const TIMEOUT = 90_000
let stack: Stack
let browser: Browser

beforeAll(async () => {
  assertPrerequisites()
  stack = await startStack()
  browser = await launchBrowser(prepareExtension())
})

afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

interface Focused {
  tag: string
  /** The accessible name as a person meets it: aria-label, else the text. */
  name: string
  visible: boolean
}

/** The focused element, and whether its focus can be seen. */
const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (el === null || el === document.body) return { tag: 'body', name: '', visible: false }
    const style = getComputedStyle(el)
    return {
      tag: el.tagName.toLowerCase(),
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
      visible: el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    }
  })

/** Waits until the focus is on `target` (a name: exactly; a RegExp: matching; or a test), and visible. */
async function expectFocus(page: Page, target: Target): Promise<void> {
  await expect.poll(async () => {
    const now = await focused(page)
    return matches(now, target) && now.visible ? 'ok' : JSON.stringify(now)
  }, { timeout: 10_000 }).toBe('ok')
}

type Target = string | RegExp | ((now: Focused) => boolean)
const matches = (now: Focused, target: Target) =>
  typeof target === 'string' ? now.name === target : target instanceof RegExp ? target.test(now.name) : target(now)

/**
 * Presses Tab (or Shift+Tab) until the focus is on `target` (a name, or a test); on the
 * extension's pages every stop on the way shows its focus (the emulator's consent page is not
 * ours to check).
 */
async function tabTo(page: Page, target: Target, key: 'Tab' | 'Shift+Tab' = 'Tab', limit = 25): Promise<void> {
  const ours = page.url().startsWith('chrome-extension://')
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key)
    const now = await focused(page)
    if (ours && now.tag !== 'body') expect(now.visible, `focus on ${now.tag} “${now.name}” is visible`).toBe(true)
    if (matches(now, target)) return
  }
  throw new Error(`${key} never reached “${String(target)}”`)
}

/** The switcher's button (its name is the picture's initial and `@username`). */
const switcherOf = (username: string) => (now: Focused) => now.tag === 'button' && now.name.endsWith(`@${username}`)

/** The authorization window once it shows the emulator's consent page (it opens as about:blank). */
async function consentReady(consent: Page): Promise<void> {
  await consent.waitForURL(/\/oauth\/authorize/, { timeout: 15_000 })
  await consent.getByRole('button', { name: 'Authorize' }).waitFor()
}

/**
 * A key that makes the page close itself (Authorize: the window goes to the redirect URL and
 * the browser closes it), possibly before the key's release reaches it.
 */
async function pressClosing(page: Page, key: string): Promise<void> {
  await page.keyboard.press(key).catch((error: unknown) => {
    if (!page.isClosed()) throw error
  })
}

const view = (popup: Page, kind: string) => popup.locator(`.popup[data-view="${kind}"]`).waitFor({ timeout: 15_000 })
/** The text of the popup's live regions of `role` (status: polite, alert: at once), joined. */
const announced = async (popup: Page, role: 'status' | 'alert') => (await popup.locator(`[role="${role}"]`).allTextContents()).join(' ').trim()

describe('keyboard only', () => {
  it('options page: Tab to Test connection, Enter; the focus stays on the button and the result is announced', async () => {
    const page = await browser.context.newPage()
    await page.goto(OPTIONS_URL)
    await writeStorage(page, 'local', { serverUrl: stack.serverUrl })
    await page.reload()
    await page.getByRole('heading', { name: 'Test connection' }).waitFor()
    await tabTo(page, 'Test connection')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('test-summary').textContent()).toBe('All checks passed. You can connect from the toolbar button.')
    expect(await page.getByTestId('test-summary').getAttribute('role')).toBe('status')
    await expectFocus(page, 'Test connection')
    // Space runs it again from the same place.
    await page.keyboard.press('Space')
    await expect.poll(() => page.locator('[data-step][data-state="ok"]').count()).toBe(3)
    await expectFocus(page, 'Test connection')
    await page.close()
  }, TIMEOUT)

  it('popup: Connect with Enter, Authorize with the keyboard, Add account and switch back from the switcher, Disconnect both with Space', async () => {
    const popup = await openPopup(browser.context)
    await view(popup, 'disconnected')
    await expectFocus(popup, 'Connect Instagram')
    // Shift+Tab reaches the options button in the bar, Tab comes back.
    await tabTo(popup, 'Options', 'Shift+Tab')
    await tabTo(popup, 'Connect Instagram')

    const [consent] = await Promise.all([browser.context.waitForEvent('page'), popup.keyboard.press('Enter')])
    await view(popup, 'connecting')
    await expectFocus(popup, 'Cancel')
    expect(await announced(popup, 'status')).toBe('Waiting for you to authorize in the Instagram window…')

    await consentReady(consent)
    await tabTo(consent, 'Authorize')
    await pressClosing(consent, 'Enter')
    await view(popup, 'connected')
    await expectFocus(popup, `@${USER}`)
    await expect.poll(() => announced(popup, 'status')).toContain('Connected to Instagram.')

    // Add a second account from the switcher in the bar: Shift+Tab to it, Enter opens the list
    // on the active account, Tab reaches Add account.
    await tabTo(popup, switcherOf(USER), 'Shift+Tab')
    await popup.keyboard.press('Enter')
    await expectFocus(popup, (now) => now.tag === 'li' && now.name.endsWith(`@${USER}`))
    await tabTo(popup, 'Add account')
    const [second] = await Promise.all([browser.context.waitForEvent('page'), popup.keyboard.press('Enter')])
    await view(popup, 'connecting')
    await expectFocus(popup, 'Cancel')
    await consentReady(second)
    // The consent page asks which account: the arrows move the choice to the second user.
    await tabTo(second, (now) => now.tag === 'input')
    for (let i = 0; i < 10 && (await second.evaluate(() => (document.activeElement as HTMLInputElement).value)) !== USER_B; i++) await second.keyboard.press('ArrowDown')
    await tabTo(second, 'Authorize')
    await pressClosing(second, 'Enter')
    await view(popup, 'connected')
    await expectFocus(popup, `@${USER_B}`)

    // Back to the first account: Enter on the switcher, ↓, Enter; the focus returns to the switcher.
    await tabTo(popup, switcherOf(USER_B), 'Shift+Tab')
    await popup.keyboard.press('Enter')
    await expectFocus(popup, (now) => now.tag === 'li' && now.name.endsWith(`@${USER_B}`))
    await popup.keyboard.press('ArrowDown')
    await expectFocus(popup, (now) => now.tag === 'li' && now.name.endsWith(`@${USER}`))
    await popup.keyboard.press('Enter')
    await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
    await expectFocus(popup, switcherOf(USER))

    // Through the recent posts (links to Instagram) to Disconnect; every stop shows its focus.
    await tabTo(popup, /\(opens Instagram\)$/)
    await tabTo(popup, 'Disconnect')
    await popup.keyboard.press('Space')
    // The other account becomes the active one, and its heading takes the focus: a second
    // Space must not disconnect it too.
    await popup.getByRole('heading', { name: `@${USER_B}` }).waitFor()
    await expectFocus(popup, `@${USER_B}`)
    await popup.keyboard.press('Space')
    expect(await popup.getByRole('heading', { name: `@${USER_B}` }).count()).toBe(1)
    await tabTo(popup, 'Disconnect')
    await popup.keyboard.press('Space')
    await view(popup, 'disconnected')
    await expectFocus(popup, 'Connect Instagram')
    expect(await announced(popup, 'status')).toBe('Not connected to Instagram.')
    await popup.close()
  }, TIMEOUT)

  it('popup: Cancel on Instagram’s page gives an error with the focus on Try again; Escape dismisses it', async () => {
    const popup = await openPopup(browser.context)
    await view(popup, 'disconnected')
    await expectFocus(popup, 'Connect Instagram')
    const [consent] = await Promise.all([browser.context.waitForEvent('page'), popup.keyboard.press('Enter')])
    await consentReady(consent)
    await tabTo(consent, 'Cancel')
    await pressClosing(consent, 'Enter')
    await view(popup, 'error')
    await expectFocus(popup, 'Try again')
    expect(await announced(popup, 'alert')).toContain('Connection cancelled')
    // The arrows do not move the focus out of the popup's controls.
    await popup.keyboard.press('ArrowDown')
    expect((await focused(popup)).tag).not.toBe('body')
    await popup.keyboard.press('Escape')
    await view(popup, 'disconnected')
    await expectFocus(popup, 'Connect Instagram')
    await popup.close()
  }, TIMEOUT)
})
