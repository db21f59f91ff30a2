import browser from '../lib/browser-native'
import { sendMessage } from '../lib/messages'
import { items } from '../lib/storage'

/** What the popup's buttons do. The flows run in the worker; the popup only asks. */
export const actions = {
  connect: (forceReauth = false) => sendMessage(browser.runtime, 'connect', { forceReauth }),
  addAccount: () => sendMessage(browser.runtime, 'addAccount'),
  cancel: () => sendMessage(browser.runtime, 'cancel'),
  disconnect: () => sendMessage(browser.runtime, 'disconnect'),
  switchAccount: (userId: string) => sendMessage(browser.runtime, 'switchAccount', { userId }),
  refreshProfile: () => sendMessage(browser.runtime, 'refreshProfile'),
  /** Clears a shown error; nothing is running at that point, so the popup may write it. */
  dismiss: () => items.flow.set(browser.storage, { phase: 'idle' }),
  openOptions: async () => {
    await browser.runtime.openOptionsPage()
    window.close()
  },
}

export type Actions = typeof actions
