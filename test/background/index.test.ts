import { beforeAll, describe, expect, it, vi } from 'vitest'
import { fakeDeps } from './fake-browser'

type Listener = (...args: unknown[]) => unknown
const listeners: Record<string, Listener[]> = {}
const event = (name: string) => ({ addListener: (l: Listener) => (listeners[name] ??= []).push(l) })
const { deps, calls } = fakeDeps()

vi.mock('../../src/lib/browser', () => ({
  default: {
    ...deps.browser,
    runtime: { id: 'self', onMessage: event('onMessage'), onInstalled: event('onInstalled'), onStartup: event('onStartup') },
    alarms: { ...deps.browser.alarms, onAlarm: event('onAlarm') },
  },
}))

describe('service worker entry', () => {
  beforeAll(async () => {
    vi.stubGlobal('fetch', deps.fetch)
    await import('../../src/background/index')
  })

  it('registers every listener synchronously at the top level', () => {
    expect(Object.keys(listeners).sort()).toEqual(['onAlarm', 'onInstalled', 'onMessage', 'onStartup'])
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

  it('recreates the alarm on install', async () => {
    await listeners.onInstalled![0]!({ reason: 'install' })
    expect(calls.alarms.at(-1)).toEqual({ name: 'refresh-token', info: { periodInMinutes: 1440 } })
  })
})
