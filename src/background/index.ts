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
import { ensureRefreshAlarm, refreshTokenIfDue } from './refresh-token'
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
  if (alarm.name === REFRESH_ALARM) await refreshTokenIfDue(deps())
})

browser.runtime.onInstalled.addListener(async () => {
  await ensureRefreshAlarm(deps(), true)
})

// A listener of its own: a fresh install (reason `install`) opens the welcome page.
browser.runtime.onInstalled.addListener((details) => openWelcomeOnInstall(browser, details))

browser.runtime.onStartup.addListener(async () => {
  await ensureRefreshAlarm(deps())
})

// Also on every worker start: an alarm lost in an update or a crash comes back.
void ensureRefreshAlarm(deps())
