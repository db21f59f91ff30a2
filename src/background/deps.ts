import type { StorageLike } from '../lib/storage'
import type { RandomFill } from '../lib/state'

/**
 * The slice of the `browser` API the worker uses. The handlers take it as a parameter, so the
 * tests inject a fake and the worker passes the real (polyfilled) `browser`.
 */
export interface WorkerBrowser {
  storage: StorageLike
  identity: {
    getRedirectURL(path?: string): string
    launchWebAuthFlow(details: { url: string; interactive?: boolean }): Promise<string>
  }
  alarms: {
    get(name: string): Promise<{ name: string } | undefined>
    create(name: string, info: { periodInMinutes?: number; delayInMinutes?: number }): unknown
  }
  permissions: {
    contains(permissions: { origins?: string[] }): Promise<boolean>
  }
  /** The extension's own URL says which browser this is (host permissions differ, see server-url.ts); Chrome when absent. */
  runtime?: {
    getURL(path: string): string
  }
}

export interface Deps {
  browser: WorkerBrowser
  fetch: typeof fetch
  now: () => number
  random?: RandomFill
  /** This worker instance's id (worker-instance.ts), recorded in the flows it runs. */
  instance?: string
}
