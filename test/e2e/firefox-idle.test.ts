/**
 * Firefox suspends an idle MV3 background (an event page) after `extensions.background.idle.timeout`
 * ms, 30 000 by default. These tests lower it, so that waits longer than the timeout take
 * seconds, and drive a sign-in through them in Firefox ESR, reading every outcome from the popup.
 *
 * - Above the worker's ping (src/background/keep-alive.ts, every second): the consent page is
 *   left open longer than the timeout (Firefox holds the page while `launchWebAuthFlow` is
 *   pending) and the code exchange takes longer than the timeout (only the ping holds it then).
 *   The same page runs the whole flow, and is suspended once it is done.
 * - Below the ping: the page is suspended during the code exchange. It ends its flow on
 *   `runtime.onSuspend`, so a popup already open says "The sign-in was interrupted" at once.
 *
 * A popup opened while the Instagram window is open is opened in a window of its own
 * (`openPopupWindow`, see firefox-driver.ts). How the browser is driven: ./firefox-driver.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'
import { emulatorAdmin } from './common'
import { activeAccount, dismissError, readExtensionStorage, saveServerUrl, waitForView, type DriverPage } from './driver'
import { assertFirefoxPrerequisites, launchFirefox, watchBackgroundPage, type FirefoxDriver } from './firefox-driver'
import { expectConnected, expectError, SCENARIO_TIMEOUT, USER } from './scenarios'

/** Above PING_MS (1 s) with a margin for a busy machine; short, so the waits past it are quick. */
const IDLE_MS = 3_000
/** Longer than IDLE_MS: the consent wait, and the code exchange Instagram (the emulator) is made to take. */
const PAST_IDLE_MS = IDLE_MS + 2_000
/** Below PING_MS (nothing holds the page during a fetch), yet long enough for `/config` before the window. */
const SHORT_IDLE_MS = 500

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms))

/** Launches Firefox ESR with the idle timeout `idleMs`, against a stack of its own. */
function withIdleTimeout(idleMs: number) {
  const context = {} as { stack: Stack; driver: FirefoxDriver }
  beforeAll(async () => {
    assertFirefoxPrerequisites()
    // The code exchange is made slower than the idle timeout, not slower than the server's wait for Instagram.
    context.stack = await startStack({ env: { UPSTREAM_TIMEOUT_MS: '10000' } })
    context.driver = await launchFirefox(undefined, { prefs: { 'extensions.background.idle.timeout': idleMs } })
    await saveServerUrl(context.driver, context.stack.serverUrl)
  }, 90_000)
  afterAll(async () => {
    await context.driver?.close()
    await context.stack?.close()
  })
  return context
}

/** How many codes the server presented to Instagram (the emulator's token endpoint). */
const tokenCalls = (stack: Stack) => stack.logs.filter((line) => line.startsWith('POST /token ')).length

describe(`Firefox ESR, background idle timeout ${IDLE_MS} ms (above the worker's ping)`, () => {
  const ctx = withIdleTimeout(IDLE_MS)

  it('keeps the background page through a consent wait and a code exchange both longer than the timeout: @username', async () => {
    const { driver, stack } = ctx
    const watcher = await driver.openOptions()
    const popup = await driver.openPopup()
    await waitForView(popup, 'disconnected')
    const consent = await driver.expectNewPage(() => popup.clickButton('Connect Instagram'))
    await waitForView(popup, 'connecting')
    const alive = await watchBackgroundPage(watcher)
    await consent.waitFor('button[value="authorize"]')

    // The person takes longer than the timeout on Instagram's page (a password, a second factor).
    for (let waited = 0; waited < PAST_IDLE_MS; waited += 500) {
      await sleep(500)
      expect(await alive(), `background page after ${waited + 500} ms on the consent page`).toBe(true)
    }
    expect(await popup.attribute('.popup', 'data-view')).toBe('connecting')

    // And the server takes longer than the timeout to exchange the code.
    await emulatorAdmin(stack.emulator.url, 'faults', { kind: 'delay', delay_ms: PAST_IDLE_MS, match: 'token', count: 1 })
    await consent.clickButton('Authorize')
    const deadline = Date.now() + 15_000
    while ((await popup.attribute('.popup', 'data-view')) !== 'connected') {
      expect(await alive(), 'background page during the code exchange').toBe(true)
      expect(Date.now(), 'connected in time').toBeLessThan(deadline)
      await sleep(250)
    }
    await expectConnected(popup)
    const stored = await readExtensionStorage(popup)
    expect(activeAccount(stored).session).toMatchObject({ user: { username: USER } })
    expect(stored.session.flow).toEqual({ phase: 'idle' })
    await popup.close()

    // The lowered timeout is in force: with nothing left to do, the page is suspended.
    await expect.poll(alive, { timeout: IDLE_MS + 10_000 }).toBe(false)
    await watcher.close()
  }, SCENARIO_TIMEOUT)

  it('waits past the timeout, then the Instagram window is closed: a popup opened meanwhile and one opened after say so', async () => {
    const { driver } = ctx
    const watcher = await driver.openOptions()
    let popup = await driver.openPopup()
    // From the test before: connected (or, should it have failed, an error).
    await popup.waitFor('.popup:not([data-view="loading"])')
    if ((await popup.attribute('.popup', 'data-view')) === 'connected') await popup.clickButton('Disconnect')
    await dismissError(popup)
    const consent = await driver.expectNewPage(() => popup.clickButton('Connect Instagram'))
    await waitForView(popup, 'connecting')
    const alive = await watchBackgroundPage(watcher)
    // The real popup closes as soon as the Instagram window takes the focus.
    await popup.close()
    await consent.waitFor('button[value="authorize"]')
    await sleep(PAST_IDLE_MS)
    expect(await alive(), 'background page while the Instagram window is open').toBe(true)

    const opened = await driver.openPopupWindow()
    await waitForView(opened, 'connecting')
    await consent.close()
    await expectError(opened, 'window_closed', 'The Instagram window was closed')
    popup = await driver.openPopup()
    await expectError(popup, 'window_closed', 'The Instagram window was closed')
    const stored = await readExtensionStorage(popup)
    expect(stored.session.pendingAuth).toBeUndefined()
    expect(activeAccount(stored).session).toBeUndefined()
    await popup.clickButton('Dismiss')
    await waitForView(popup, 'disconnected')
    await Promise.all([popup.close(), opened.close(), watcher.close()])
  }, SCENARIO_TIMEOUT)
})

describe(`Firefox ESR, background idle timeout ${SHORT_IDLE_MS} ms (below the worker's ping)`, () => {
  const ctx = withIdleTimeout(SHORT_IDLE_MS)

  it('a page suspended during the code exchange ends its flow: the open popup and a new one say The sign-in was interrupted', async () => {
    const { driver, stack } = ctx
    const watcher = await driver.openOptions()
    let popup: DriverPage = await driver.openPopup()
    await waitForView(popup, 'disconnected')
    const consent = await driver.expectNewPage(() => popup.clickButton('Connect Instagram'))
    await waitForView(popup, 'connecting')
    const alive = await watchBackgroundPage(watcher)
    await popup.close()
    await consent.waitFor('button[value="authorize"]')
    // Firefox holds the page while launchWebAuthFlow is pending, even far past this timeout.
    await sleep(6 * SHORT_IDLE_MS)
    expect(await alive(), 'background page while the Instagram window is open').toBe(true)

    // A popup opened after the Connect click: its getState was answered, it sends nothing more.
    const opened = await driver.openPopupWindow()
    await waitForView(opened, 'connecting')
    const codesBefore = tokenCalls(stack)
    await emulatorAdmin(stack.emulator.url, 'faults', { kind: 'delay', delay_ms: 3_000, match: 'token', count: 1 })
    await consent.clickButton('Authorize')
    await expectError(opened, 'interrupted', 'The sign-in was interrupted')
    await expect.poll(alive, { timeout: 5_000 }).toBe(false)
    // Ended by the page itself on runtime.onSuspend, not by a later instance finding an orphan.
    const stored = await readExtensionStorage(opened)
    expect(stored.session.flow).toMatchObject({ phase: 'error', error: { code: 'interrupted', message: 'The background worker was suspended while the server was exchanging the code.' } })
    expect(stored.session.pendingAuth).toBeUndefined()
    expect(activeAccount(stored).session).toBeUndefined()

    // A popup opened once the page is gone says the same; the code went to Instagram once.
    popup = await driver.openPopup()
    await expectError(popup, 'interrupted', 'The sign-in was interrupted')
    expect(await popup.text('.popup button.btn-primary')).toBe('Try again')
    await stack.flushLogs()
    expect(tokenCalls(stack) - codesBefore).toBeLessThanOrEqual(1)
    await Promise.all([popup.close(), opened.close(), watcher.close()])
  }, SCENARIO_TIMEOUT)
})
