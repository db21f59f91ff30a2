/**
 * What the extension keeps, under faults, in a real Chromium: the browser closed and reopened on
 * the same profile (with a connected account, and with a flow in progress), the daily refresh
 * alarm firing for a due token (with Instagram failing once), and damaged storage written by the
 * test. Accounts are stored as schema 2 (src/lib/accounts.ts): `account:<id>`, `profile:<id>`,
 * `media:<id>` and `accountOrder` in storage.local; `accountOf` reads the active one.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startStack, type Stack } from '../support/stack'
import { assertPrerequisites, launchBrowser, openPopup, OPTIONS_URL, prepareExtension, readStorage, setServerUrl, stopServiceWorker, writeStorage, type Browser } from '../e2e/harness'
import { Figures } from './support/figures'
import { LONG } from './support/size'

const ROUNDS = LONG ? 20 : 1
const DAY = 24 * 60 * 60 * 1000
const USER = 'jayposiris'

vi.setConfig({ testTimeout: ROUNDS * 60_000 + 60_000 })

const figures = new Figures('browser-storage')
let stack: Stack
let extensionDir: string
let profileDir: string
let browser: Browser
let context: BrowserContext

beforeAll(async () => {
  assertPrerequisites()
  stack = await startStack()
  extensionDir = prepareExtension()
  profileDir = mkdtempSync(join(tmpdir(), 'ig-connect-kept-profile-'))
  browser = await launchBrowser(extensionDir, { userDataDir: profileDir })
  context = browser.context
  await setServerUrl(context, stack.serverUrl)
  const popup = await openPopup(context)
  const consent = await startConnect(popup, 'Connect Instagram')
  await consent.getByRole('button', { name: 'Authorize' }).click()
  await view(popup, 'connected')
  await popup.close()
})

afterAll(async () => {
  figures.flush()
  await browser?.close()
  await stack?.close()
  if (profileDir) rmSync(profileDir, { recursive: true, force: true })
})

const view = (popup: Page, kind: string, timeout = 15_000) => popup.locator(`.popup[data-view="${kind}"]`).waitFor({ timeout })
/** The view the App renders (with its live region, `p.announce`; the first frame, src/popup/first-paint.ts, has none). */
const settledView = async (popup: Page): Promise<string> => {
  await popup.locator('.popup:not([data-view="loading"]) > p.announce').waitFor({ state: 'attached', timeout: 5000 })
  return (await popup.locator('.popup').getAttribute('data-view')) ?? 'none'
}

async function startConnect(popup: Page, button: string): Promise<Page> {
  const [consent] = await Promise.all([
    context.waitForEvent('page', { predicate: (p) => p.url().startsWith(stack.emulator.url), timeout: 15_000 }),
    popup.getByRole('button', { name: button, exact: true }).click(),
  ])
  await consent.waitForLoadState('domcontentloaded')
  return consent
}

/** The active account's stored record (`account:<id>`) and its key, as written. */
async function storedAccount(page: Page): Promise<{ key: string; record: Record<string, unknown> } | undefined> {
  const { local } = await readStorage(page)
  const id = (local.accountOrder as string[] | undefined)?.[0]
  const record = id === undefined ? undefined : (local[`account:${id}`] as Record<string, unknown> | undefined)
  return record === undefined ? undefined : { key: `account:${id}`, record }
}

/** The stored account: what must survive every fault here. */
async function accountOf(page: Page): Promise<{ id?: string; access_token?: string; issued_at?: number; expires_at?: number } | undefined> {
  const account = (await storedAccount(page))?.record as { user?: { id?: string }; access_token?: string; issued_at?: number; expires_at?: number } | undefined
  return account === undefined ? undefined : { id: account.user?.id, access_token: account.access_token, issued_at: account.issued_at, expires_at: account.expires_at }
}

async function reopen(): Promise<void> {
  await browser.close()
  browser = await launchBrowser(extensionDir, { userDataDir: profileDir })
  context = browser.context
}

describe('Chromium: the browser closed and reopened', () => {
  it('keeps the connected account, shown at once; a flow in progress leaves no phantom "Connecting…"', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      let popup = await openPopup(context)
      await view(popup, 'connected')
      const before = await accountOf(popup)
      const { key, record } = (await storedAccount(popup))!
      await popup.close()

      await reopen()
      figures.count('faults', 'browser closed with a connected account')
      popup = await openPopup(context)
      const shown = await settledView(popup)
      figures.count('outcomes', `browser closed with a connected account → ${shown}`)
      expect(shown).toBe('connected')
      await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
      expect(await accountOf(popup)).toEqual(before)

      // A flow in progress: the Instagram window is open when the browser closes.
      await writeStorage(popup, 'local', { [key]: { ...record, needs_reconnect: true } })
      await view(popup, 'reconnect')
      await startConnect(popup, 'Reconnect')
      await view(popup, 'connecting')
      await reopen()
      figures.count('faults', 'browser closed during a sign-in')
      popup = await openPopup(context)
      const after = await settledView(popup)
      figures.count('outcomes', `browser closed during a sign-in → ${after}`)
      if (after === 'connecting') figures.add('stuck')
      expect(after).toBe('reconnect')
      expect((await accountOf(popup))?.id).toBe(before?.id)
      if ((await accountOf(popup))?.id !== before?.id) figures.add('lostAccounts')
      const consent = await startConnect(popup, 'Reconnect')
      await consent.getByRole('button', { name: 'Authorize' }).click()
      await view(popup, 'connected')
      await popup.close()
    }
  })
})

describe('Chromium: the daily refresh alarm', () => {
  it('refreshes a due token in the stopped worker it wakes; with Instagram failing the old token stays and the next alarm tries again', async () => {
    const popup = await openPopup(context)
    await view(popup, 'connected')
    for (let round = 0; round < ROUNDS; round++) {
      // Due: old enough for Instagram, whose clock moves on (55 days, then 2 more for each token
      // the round before refreshed), and 5 days left for the extension.
      const advance = round === 0 ? 55 * DAY : 2 * DAY
      await fetch(`${stack.emulator.url}/__emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: advance }) })
      const { key, record } = (await storedAccount(popup))!
      const now = Date.now()
      await writeStorage(popup, 'local', { [key]: { ...record, issued_at: now - 55 * DAY, expires_at: now + 5 * DAY } })
      const due = await accountOf(popup)
      const refreshCalls = () => stack.emulator.emulator.calls.filter((c) => c.endpoint === 'refresh').length

      // Instagram fails the refresh: the old token is kept.
      stack.emulator.emulator.faults.add({ kind: 'http500', match: 'refresh' })
      const calls = refreshCalls()
      await stopServiceWorker(popup)
      await fireRefreshAlarm(popup)
      figures.count('faults', 'refresh alarm with Instagram failing')
      await expect.poll(refreshCalls, { timeout: 10_000 }).toBe(calls + 1)
      await new Promise((done) => setTimeout(done, 500))
      expect(await accountOf(popup)).toEqual(due)
      figures.count('outcomes', 'refresh alarm with Instagram failing → old token kept')

      // The next alarm: refreshed and stored.
      await stopServiceWorker(popup)
      await fireRefreshAlarm(popup)
      figures.count('faults', 'refresh alarm for a due token')
      await expect.poll(async () => (await accountOf(popup))?.access_token, { timeout: 10_000 }).not.toBe(due?.access_token)
      const refreshed = await accountOf(popup)
      expect(refreshed?.id).toBe(due?.id)
      expect(refreshed!.expires_at! - Date.now()).toBeGreaterThan(50 * DAY)
      figures.count('outcomes', 'refresh alarm for a due token → refreshed and stored')
    }
    // The daily alarm is still there, daily.
    const alarm = await popup.evaluate(() => (globalThis as unknown as { chrome: { alarms: { get(n: string): Promise<{ periodInMinutes?: number } | undefined> } } }).chrome.alarms.get('refresh-token'))
    expect(alarm?.periodInMinutes).toBe(24 * 60)
    await popup.close()
  })
})

/** Makes the `refresh-token` alarm fire now (unpacked extensions may set any delay), keeping it daily. */
async function fireRefreshAlarm(page: Page): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as { chrome: { alarms: { create(n: string, i: unknown): Promise<void> } } }).chrome.alarms.create('refresh-token', { when: Date.now() + 100, periodInMinutes: 24 * 60 }),
  )
}

const future = () => Date.now() + 30 * DAY
const token = () => ({ access_token: 'abc', token_type: 'bearer', expires_at: future(), issued_at: Date.now(), permissions: [], server: 'http://127.0.0.1:8787', client_id: '1', added_at: 1 })
/**
 * Damage of every kind: wrong types, unknown keys, truncated objects, in both areas; in the
 * accounts (schema 2) and in a first release's keys, which the worker migrates on opening.
 */
const DAMAGE: { name: string; local?: Record<string, unknown>; session?: Record<string, unknown> }[] = [
  {
    name: 'wrong types everywhere',
    local: { serverUrl: 42, schemaVersion: 'two', accountOrder: 7, 'account:1': 'token', 'profile:1': [], 'media:1': 7 },
    session: { flow: 'authorizing', pendingAuth: 1 },
  },
  { name: 'unknown keys', local: { accounts: { x: 1 }, 'session-v9': {}, schema: 'nine', 'account:': {} }, session: { other: true } },
  { name: 'truncated account', local: { schemaVersion: 2, accountOrder: ['1'], 'account:1': { access_token: 'abc' } } },
  { name: 'account whose user is damaged', local: { schemaVersion: 2, accountOrder: ['1'], 'account:1': { ...token(), user: { id: 5 }, permissions: 'all' } } },
  { name: 'account whose user has no username', local: { schemaVersion: 2, accountOrder: ['1'], 'account:1': { ...token(), user: { id: '1' } } } },
  {
    name: 'damaged profile and media beside an account',
    local: {
      schemaVersion: 2,
      accountOrder: ['1', 'ghost', 5],
      'account:1': { ...token(), user: { id: '1', username: 'someone' } },
      'profile:1': { data: { username: 7, id: null }, fetched_at: 'x' },
      'media:1': { data: [null, 5, { id: 1 }, { id: 'm', media_type: 'IMAGE', permalink: 42 }], fetched_at: 'x' },
    },
  },
  { name: 'a first release’s truncated session', local: { session: { access_token: 'abc' }, profile: [], media: 7 } },
  {
    name: 'a first release’s session whose user is damaged',
    local: { session: { access_token: 'abc', token_type: 'bearer', expires_at: future(), issued_at: Date.now(), user: { id: 5 }, permissions: 'all' } },
  },
  { name: 'an error flow without its message', session: { flow: { phase: 'error', error: {}, notice: {} } } },
  { name: 'an error flow with a damaged message', session: { flow: { phase: 'error', error: { code: 5 }, notice: { title: 1, detail: null, next: 'retry' } } } },
  { name: 'a flow without its start', session: { flow: { phase: 'exchanging' } } },
  { name: 'a flow in an unknown phase', session: { flow: { phase: 'connecting', started_at: 'soon' }, pendingAuth: { state: 5 } } },
]

describe('Chromium: damaged storage', () => {
  it('always renders a sensible popup, and the options page still works', async () => {
    for (const damage of DAMAGE) {
      const page = await context.newPage()
      await page.goto(OPTIONS_URL)
      await page.evaluate(async () => {
        const api = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { clear(): Promise<void> }> } }).chrome
        await Promise.all([api.storage.local.clear(), api.storage.session.clear()])
      })
      if (damage.local) await writeStorage(page, 'local', damage.local)
      if (damage.session) await writeStorage(page, 'session', damage.session)
      await page.close()

      figures.count('faults', `damaged storage: ${damage.name}`)
      const popup = await openPopup(context)
      const errors: string[] = []
      popup.on('pageerror', (error) => errors.push(error.message))
      await popup.reload()
      const shown = await settledView(popup)
      figures.count('outcomes', `damaged storage: ${damage.name} → ${shown}`)
      expect(['not_configured', 'disconnected', 'connected', 'reconnect', 'error'], damage.name).toContain(shown)
      // Something a person can act on: a heading and a button, no "undefined" anywhere.
      await popup.locator('main h1, main h2').first().waitFor({ timeout: 5000 })
      expect(await popup.locator('main button').count(), damage.name).toBeGreaterThan(0)
      expect(await popup.locator('main').innerText(), damage.name).not.toMatch(/undefined|null|NaN|\[object/)
      await popup.waitForTimeout(300)
      expect(errors, damage.name).toEqual([])
      await popup.close()

      const options = await context.newPage()
      await options.goto(OPTIONS_URL)
      await options.getByLabel('Server URL').fill(stack.serverUrl)
      await options.getByRole('button', { name: 'Save', exact: true }).click()
      await options.getByText(`Saved. The extension now uses ${stack.serverUrl}.`).waitFor()
      await options.close()
    }
  })
})
