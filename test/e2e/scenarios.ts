/**
 * The end-to-end scenarios every browser runs, written once against the driver (./driver.ts)
 * and called from chromium.test.ts and firefox.test.ts in this order (each starts from the
 * state the one before it leaves):
 *
 *   reportsRedirectUrl → connects → showsStoredProfileAtOnce → connectsWhenThePopupCloses →
 *   disconnects → cancelled → windowClosed → connectsWhenApprovedAtOnce
 */
import { expect } from 'vitest'
import type { Stack } from '../support/stack'
import { emulatorAdmin } from './common'
import { dismissError, readExtensionStorage, saveServerUrl, waitForView, type BrowserDriver, type DriverPage } from './driver'

/** The emulator's test user the scenarios sign in as (it auto-approves as this one too). */
export const USER = 'jayposiris'
export const SCENARIO_TIMEOUT = 60_000

/** The options page shows this browser's fixed redirect URL. */
export async function reportsRedirectUrl(driver: BrowserDriver): Promise<void> {
  const page = await driver.openOptions()
  await expect.poll(() => page.text('#redirect-url')).toBe(driver.redirectUri)
  await page.close()
}

/**
 * Connect Instagram, Authorize in the Instagram window, then `@username`: the authorize URL
 * carries this browser's redirect URL and a fresh state, the state waits in storage.session, and
 * the window closes by itself.
 */
export async function connects(driver: BrowserDriver, stack: Stack): Promise<void> {
  await saveServerUrl(driver, stack.serverUrl)
  const popup = await driver.openPopup()
  await waitForView(popup, 'disconnected')
  await popup.waitForText(`Server: ${stack.serverUrl}`)
  await popup.screenshot('.popup', 'popup-disconnected')

  const consent = await driver.expectNewPage(() => popup.clickButton('Connect Instagram'))
  await waitForView(popup, 'connecting')
  await popup.waitForText('Waiting for you to authorize in the Instagram window…')
  await popup.screenshot('.popup', 'popup-connecting')

  // The window shows Instagram's (the emulator's) consent page, with our parameters.
  const authorize = new URL(await consent.url())
  expect(authorize.origin).toBe(stack.emulator.url)
  expect(authorize.searchParams.get('redirect_uri')).toBe(driver.redirectUri)
  expect(authorize.searchParams.get('response_type')).toBe('code')
  // /config's authorize_url carries force_reauth=true (IG_FORCE_REAUTH), and the extension keeps it.
  expect(authorize.searchParams.get('force_reauth')).toBe('true')
  const state = authorize.searchParams.get('state') ?? ''
  expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect((await readExtensionStorage(popup)).session.pendingAuth).toMatchObject({ state, redirect_uri: driver.redirectUri })

  await consent.clickButton('Authorize')
  await expectConnected(popup)
  await expect.poll(() => popup.evaluate(() => {
    const img = document.querySelector<HTMLImageElement>('.avatar img')
    return img !== null && img.complete && img.naturalWidth > 0
  }, undefined)).toBe(true)
  await expect.poll(() => popup.text('.sync')).toBe('\u00a0')
  await popup.screenshot('.popup', 'popup-connected')

  const stored = await readExtensionStorage(popup)
  expect(stored.local.session).toMatchObject({ token_type: 'bearer', user: { username: USER } })
  expect(typeof (stored.local.session as { access_token: unknown }).access_token).toBe('string')
  expect(stored.session.pendingAuth).toBeUndefined()
  expect(stored.session.flow).toEqual({ phase: 'idle' })
  await expect.poll(() => consent.isClosed()).toBe(true)
  await popup.close()
}

/**
 * Reopening the popup shows the stored profile at once (before `GET /me` answers), and keeps it
 * when that revalidation fails.
 */
export async function showsStoredProfileAtOnce(driver: BrowserDriver, stack: Stack): Promise<void> {
  const options = await driver.openOptions() // a page that does not revalidate
  const before = await readExtensionStorage(options)
  await options.close()
  // /me hangs past the stack's UPSTREAM_TIMEOUT_MS (2 s): the server answers 504 after 2 s.
  await emulatorAdmin(stack.emulator.url, 'faults', { kind: 'delay', delay_ms: 5000, match: 'profile', count: 1 })
  const popup = await driver.openPopup()
  await popup.waitFor('h1.handle', { timeout: 1500 })
  // On screen while GET /me is still waiting: rendered from storage, not from the network.
  expect(await popup.text('h1.handle')).toBe(`@${USER}`)
  expect(await popup.text('.sync')).toBe('Checking Instagram for changes…')
  expect(await popup.count('.grid .tile')).toBe(6)
  await expect.poll(() => popup.text('.sync'), { timeout: 10_000 }).toBe('Could not refresh: showing the saved profile.')
  expect(await popup.text('h1.handle')).toBe(`@${USER}`)
  const after = await readExtensionStorage(popup)
  expect(after.local.profile).toEqual(before.local.profile)
  expect(after.local.session).not.toHaveProperty('needs_reconnect')
  await popup.close()
}

/**
 * The flow lives in the background: a real popup closes as soon as the authorization window
 * takes the focus, and the connection still completes. Starts connected, ends connected.
 */
export async function connectsWhenThePopupCloses(driver: BrowserDriver): Promise<void> {
  let popup = await driver.openPopup()
  await waitForView(popup, 'connected')
  await popup.clickButton('Disconnect')
  await waitForView(popup, 'disconnected')
  const consent = await driver.expectNewPage(() => popup.clickButton('Connect Instagram'))
  await waitForView(popup, 'connecting')
  await popup.close()
  await consent.waitFor('button[value="authorize"]')
  await consent.clickButton('Authorize')
  await expect.poll(() => consent.isClosed()).toBe(true)
  popup = await driver.openPopup()
  await expectConnected(popup)
  await popup.close()
}

/** Disconnect forgets the token and the profile. */
export async function disconnects(driver: BrowserDriver): Promise<void> {
  const popup = await driver.openPopup()
  await waitForView(popup, 'connected')
  await popup.clickButton('Disconnect')
  await waitForView(popup, 'disconnected')
  const stored = await readExtensionStorage(popup)
  expect(stored.local.session).toBeUndefined()
  expect(stored.local.profile).toBeUndefined()
  await popup.close()
}

/** Cancel on the consent page: "Connection cancelled", nothing stored, Dismiss goes back. */
export async function cancelled(driver: BrowserDriver): Promise<void> {
  const popup = await driver.openPopup()
  await dismissError(popup)
  const consent = await driver.expectNewPage(() => popup.clickButton('Connect Instagram'))
  await consent.clickButton('Cancel')
  await expectError(popup, 'cancelled', 'Connection cancelled')
  await popup.waitFor('.popup button.btn-primary')
  expect(await popup.text('.popup button.btn-primary')).toBe('Try again')
  await popup.screenshot('.popup', 'popup-error-cancelled')
  const stored = await readExtensionStorage(popup)
  expect(stored.local.session).toBeUndefined()
  expect(stored.session.pendingAuth).toBeUndefined()

  await popup.clickButton('Dismiss')
  await waitForView(popup, 'disconnected')
  await popup.close()
}

/**
 * Closing the authorization window: Chromium rejects launchWebAuthFlow with "The user did not
 * approve access.", Firefox with "User cancelled or denied access."; both read "The Instagram
 * window was closed".
 */
export async function windowClosed(driver: BrowserDriver): Promise<void> {
  const popup = await driver.openPopup()
  await dismissError(popup)
  const consent = await driver.expectNewPage(() => popup.clickButton('Connect Instagram'))
  await consent.waitFor('button[value="authorize"]')
  await consent.close()
  await expectError(popup, 'window_closed', 'The Instagram window was closed')
  await popup.screenshot('.popup', 'popup-error-window-closed')
  expect((await readExtensionStorage(popup)).session.pendingAuth).toBeUndefined()
  await popup.close()
}

/**
 * When Instagram redirects at once (the emulator's auto-approve: every load of the authorize
 * URL issues a code), the flow completes with the first redirect and the state check passes.
 * Firefox may load the authorization URL twice for one flow; a second code is then issued and
 * never used. Ends disconnected.
 */
export async function connectsWhenApprovedAtOnce(driver: BrowserDriver, stack: Stack): Promise<void> {
  await emulatorAdmin(stack.emulator.url, 'settings', { auto_approve: USER })
  try {
    const popup = await driver.openPopup()
    await dismissError(popup)
    await popup.clickButton('Connect Instagram')
    await expectConnected(popup)
    const stored = await readExtensionStorage(popup)
    expect(stored.local.session).toMatchObject({ user: { username: USER } })
    expect(stored.session.pendingAuth).toBeUndefined()
    expect(stored.session.flow).toEqual({ phase: 'idle' })
    await popup.clickButton('Disconnect')
    await waitForView(popup, 'disconnected')
    await popup.close()
  } finally {
    await emulatorAdmin(stack.emulator.url, 'settings', { auto_approve: false })
  }
}

async function expectConnected(popup: DriverPage): Promise<void> {
  await waitForView(popup, 'connected')
  await expect.poll(() => popup.text('h1.handle')).toBe(`@${USER}`)
  await popup.waitForText('Business account')
  await expect.poll(() => popup.count('.grid img'), { timeout: 10_000 }).toBe(6)
}

async function expectError(popup: DriverPage, code: string, title: string): Promise<void> {
  await waitForView(popup, 'error')
  await popup.waitFor(`[data-error="${code}"]`)
  expect(await popup.text('.notice h1')).toBe(title)
}

/**
 * The welcome page (opened on install) checks the saved server and says it is ready, and tells
 * this browser's way to pin the button: Chromium's pin, Firefox's gear menu.
 */
export async function welcomeChecksServer(driver: BrowserDriver, stack: Stack): Promise<void> {
  await saveServerUrl(driver, stack.serverUrl)
  const page = await driver.openWelcome()
  await page.waitForText('The server answers and allows this extension. You are ready to connect.')
  for (const step of ['health', 'config', 'redirect']) expect(await page.attribute(`[data-step="${step}"]`, 'data-state')).toBe('ok')
  expect(await page.text('.pin-steps')).toContain(driver.name === 'firefox' ? 'choose Pin to Toolbar' : 'Click the pin next to Instagram Connect')
  await page.screenshot('body', 'welcome-ready')
  await page.close()
}
