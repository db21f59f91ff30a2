import { beforeAll, describe, expect, it, vi } from 'vitest'
import { items } from '../../src/lib/storage'
import { fakeDeps } from './fake-browser'

type Listener = (...args: unknown[]) => unknown
const listeners: Record<string, Listener[]> = {}
const event = (name: string) => ({ addListener: (l: Listener) => (listeners[name] ??= []).push(l) })
const { deps, calls } = fakeDeps()

vi.mock('../../src/lib/browser', () => ({
  default: {
    ...deps.browser,
    runtime: { id: 'self', onMessage: event('onMessage'), onInstalled: event('onInstalled'), onStartup: event('onStartup'), onSuspend: event('onSuspend') },
    alarms: { ...deps.browser.alarms, onAlarm: event('onAlarm') },
  },
}))

describe('service worker entry', () => {
  beforeAll(async () => {
    vi.stubGlobal('fetch', deps.fetch)
    await import('../../src/background/index')
  })

  it('registers every listener synchronously at the top level', () => {
    expect(Object.keys(listeners).sort()).toEqual(['onAlarm', 'onInstalled', 'onMessage', 'onStartup', 'onSuspend'])
  })

  it('on runtime.onSuspend, ends the flow it runs as interrupted (Firefox waits for the listener)', async () => {
    const flow = { phase: 'exchanging', started_at: 1 }
    // Another instance's flow (or one without an instance) is not this page's to end.
    await deps.browser.storage.session.set({ flow })
    expect(await listeners.onSuspend![0]!()).toBe(false)
    expect(await items.flow.get(deps.browser.storage)).toEqual(flow)
  })

  it('makes sure the daily alarm exists when the worker starts', async () => {
    await vi.waitFor(() => expect(calls.alarms).toEqual([{ name: 'refresh-token', info: { periodInMinutes: 1440 } }]))
  })

  it('answers typed messages from the extension itself, and ignores others', async () => {
    const onMessage = listeners.onMessage![0]!
    const reply = await onMessage({ type: 'getState' }, { id: 'self' })
    expect(reply).toMatchObject({ ok: true, data: { view: { kind: 'disconnected' } } })
    expect(onMessage({ type: 'getState' }, { id: 'someone-else' })).toBeUndefined()
    expect(onMessage({ type: 'nope' }, { id: 'self' })).toBeUndefined()
  })

  it('migrates version 1 data on runtime.onInstalled with reason update', async () => {
    const storage = deps.browser.storage as unknown as { local: { data: Map<string, unknown> } }
    const session = { access_token: 'T', token_type: 'bearer', expires_at: Date.now() + 86_400_000, issued_at: Date.now(), user: { id: '17841405793187218', username: 'jay' }, permissions: [] }
    await deps.browser.storage.local.set({ session, schemaVersion: 1 })
    await listeners.onInstalled![0]!({ reason: 'update', previousVersion: '0.1.0' })
    expect(storage.local.data.has('session')).toBe(false)
    expect(storage.local.data.get('schemaVersion')).toBe(2)
    expect(storage.local.data.get('account:17841405793187218')).toMatchObject({ access_token: 'T', server: 'http://127.0.0.1:8787', client_id: null })
  })

  it('recreates the alarm on install', async () => {
    await listeners.onInstalled![0]!({ reason: 'install' })
    expect(calls.alarms.at(-1)).toEqual({ name: 'refresh-token', info: { periodInMinutes: 1440 } })
  })
})
