/**
 * The service worker. Every listener is registered synchronously at the top level, so an event
 * that wakes the worker finds its listener; nothing is kept in variables, because the worker
 * can be stopped between any two events. State lives in `storage`. The one exception is this
 * instance's id (worker-instance.ts): it says which flows died with an earlier instance.
 */
import browser from '../lib/browser'
import { dispatch, isMessage } from '../lib/messages'
import { REFRESH_ALARM } from '../lib/session'
import type { Deps, WorkerBrowser } from './deps'
import { createHandlers } from './handlers'
import { keepAliveWhile } from './keep-alive'
import { migrateStorage } from './accounts'
import { endFlowOnSuspend, endOrphanedFlow } from './orphaned-flow'
import { ensureRefreshAlarm, refreshTokensIfDue } from './refresh-token'
import { openWelcomeOnInstall } from './welcome'
import { newWorkerInstance } from './worker-instance'

const instance = newWorkerInstance()

const deps = (): Deps => ({
  browser: browser satisfies WorkerBrowser,
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
  instance,
})

// First thing on every start: data an earlier release wrote is migrated (even if onInstalled
// was missed), then a flow an earlier instance left behind becomes a clear error. Messages wait
// for both, so the orphan check can never end a flow this instance has just started.
const recovered = migrateStorage(browser.storage)
  .catch(() => false)
  .then(() => endOrphanedFlow(deps()))
  .catch(() => false)

browser.runtime.onMessage.addListener((message: unknown, sender: { id?: string }) => {
  if (sender.id !== browser.runtime.id || !isMessage(message)) return undefined
  const reply = recovered.then(() => dispatch(createHandlers(deps()), message))
  return keepAliveWhile(() => browser.runtime.getPlatformInfo(), reply)
})

// Firefox suspends an idle event page, and says so first: a flow it was running ends now, so
// that open popups show "The sign-in was interrupted" at once (orphaned-flow.ts). Chrome
// service workers get no such event; their orphans are found on the next start, as above.
browser.runtime.onSuspend?.addListener(() => endFlowOnSuspend(deps()).catch(() => false))

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

// Also on every worker start: an alarm lost in an update or a crash comes back.
void ensureRefreshAlarm(deps())
