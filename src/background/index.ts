/**
 * The service worker. Every listener is registered synchronously at the top level, so an event
 * that wakes the worker finds its listener; nothing is kept in variables, because the worker
 * can be stopped between any two events. State lives in `storage`.
 */
import browser from '../lib/browser'
import { dispatch, isMessage } from '../lib/messages'
import { REFRESH_ALARM } from '../lib/session'
import type { Deps, WorkerBrowser } from './deps'
import { createHandlers } from './handlers'
import { keepAliveWhile } from './keep-alive'
import { migrateStorage } from './accounts'
import { ensureRefreshAlarm, refreshTokensIfDue } from './refresh-token'
import { openWelcomeOnInstall } from './welcome'

const deps = (): Deps => ({
  browser: browser satisfies WorkerBrowser,
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
})

browser.runtime.onMessage.addListener((message: unknown, sender: { id?: string }) => {
  if (sender.id !== browser.runtime.id || !isMessage(message)) return undefined
  return keepAliveWhile(() => browser.runtime.getPlatformInfo(), dispatch(createHandlers(deps()), message))
})

browser.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name !== REFRESH_ALARM) return
  await migrateStorage(browser.storage)
  await refreshTokensIfDue(deps())
})

browser.runtime.onInstalled.addListener(async (details) => {
  // An update from an earlier release keeps its connection: stored data moves to schema 2.
  if (details.reason === 'update') await migrateStorage(browser.storage)
  await ensureRefreshAlarm(deps(), true)
})

// A listener of its own: a fresh install (reason `install`) opens the welcome page.
browser.runtime.onInstalled.addListener((details) => openWelcomeOnInstall(browser, details))

browser.runtime.onStartup.addListener(async () => {
  await ensureRefreshAlarm(deps())
})

// Also on every worker start: an alarm lost in an update or a crash comes back, and data an
// earlier release wrote is migrated even if onInstalled was missed.
void ensureRefreshAlarm(deps())
void migrateStorage(browser.storage).catch(() => undefined)
