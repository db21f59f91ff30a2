import browser from '../lib/browser-native'
import { sendMessage } from '../lib/messages'
import { items } from '../lib/storage'

/** What the popup's buttons do. The flows run in the worker; the popup only asks. */
export const actions = {
  connect: () => sendMessage(browser.runtime, 'connect'),
  disconnect: () => sendMessage(browser.runtime, 'disconnect'),
  refreshProfile: () => sendMessage(browser.runtime, 'refreshProfile'),
  /** Starts the worker if the browser stopped it: on start it ends a flow it can no longer finish. */
  wake: () => sendMessage(browser.runtime, 'getState'),
  /** Clears a shown error; nothing is running at that point, so the popup may write it. */
  dismiss: () => items.flow.set(browser.storage, { phase: 'idle' }),
  openOptions: async () => {
    await browser.runtime.openOptionsPage()
    window.close()
  },
}

export type Actions = typeof actions
