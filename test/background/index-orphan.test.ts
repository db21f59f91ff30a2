import { beforeAll, describe, expect, it, vi } from 'vitest'
import { items } from '../../src/lib/storage'
import { fakeDeps } from './fake-browser'

type Listener = (...args: unknown[]) => unknown
const listeners: Record<string, Listener[]> = {}
const event = (name: string) => ({ addListener: (l: Listener) => (listeners[name] ??= []).push(l) })
// What a stopped worker left: its flow, waiting for a window that no instance watches any more.
const { deps, storage } = fakeDeps({ session: { flow: { phase: 'authorizing', started_at: 1, worker: 'a-stopped-instance' }, pendingAuth: { state: 's', redirect_uri: 'r', started_at: 1 } } })

vi.mock('../../src/lib/browser', () => ({
  default: {
    ...deps.browser,
    runtime: { id: 'self', getURL: (path: string) => `chrome-extension://self/${path}`, onMessage: event('onMessage'), onInstalled: event('onInstalled'), onStartup: event('onStartup') },
    alarms: { ...deps.browser.alarms, onAlarm: event('onAlarm') },
  },
}))

describe('service worker entry, starting after a stop', () => {
  beforeAll(async () => {
    vi.stubGlobal('fetch', deps.fetch)
    await import('../../src/background/index')
  })

  it('ends the flow the stopped instance left before it answers any message', async () => {
    const reply = await listeners.onMessage![0]!({ type: 'getState' }, { id: 'self' })
    expect(reply).toMatchObject({ ok: true, data: { view: { kind: 'error', error: { code: 'interrupted' }, notice: { title: 'The sign-in was interrupted' } } } })
    expect(await items.pendingAuth.get(storage)).toBeNull()
  })

  it('then runs a new Connect, whose flow it does not end', async () => {
    const reply = await listeners.onMessage![0]!({ type: 'connect' }, { id: 'self' })
    expect(reply).toMatchObject({ ok: true, data: { view: { kind: 'connected' } } })
  })
})
