import browser from '../lib/browser-native'
import { sendMessage, type MessageArgs, type MessageType } from '../lib/messages'
import { items } from '../lib/storage'

/** What the popup's buttons do. The flows run in the worker; the popup only asks. */
export const actions = {
  /** One message to the worker (lib/messages.ts), e.g. `send('switchAccount', { userId })`. */
  send: (type: MessageType, args?: MessageArgs) => sendMessage(browser.runtime, type, args),
  /** Clears a shown error; nothing is running at that point, so the popup may write it. */
  dismiss: () => items.flow.set(browser.storage, { phase: 'idle' }),
  openOptions: async () => {
    await browser.runtime.openOptionsPage()
    window.close()
  },
}

export type Actions = typeof actions
