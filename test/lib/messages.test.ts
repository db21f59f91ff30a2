import { describe, expect, it } from 'vitest'
import { dispatch, isMessage, sendMessage, type Handlers } from '../../src/lib/messages'
import type { AppState } from '../../src/lib/view'

const state: AppState = { view: { kind: 'disconnected' }, serverUrl: 'http://127.0.0.1:8787', redirectUri: 'https://x.chromiumapp.org/' }

describe('isMessage', () => {
  it('accepts the message types only, with a string userId and a boolean forceReauth', () => {
    for (const type of ['getState', 'connect', 'addAccount', 'cancel', 'disconnect', 'disconnectAll', 'switchAccount', 'refreshProfile']) expect(isMessage({ type })).toBe(true)
    expect(isMessage({ type: 'switchAccount', userId: '17841405793187219' })).toBe(true)
    expect(isMessage({ type: 'connect', forceReauth: true })).toBe(true)
    for (const value of [null, 'connect', {}, { type: 'eval' }, { type: 'toString' }, { type: 'switchAccount', userId: 7 }, { type: 'connect', forceReauth: 'yes' }]) {
      expect(isMessage(value)).toBe(false)
    }
  })
})

describe('sendMessage', () => {
  it('returns the worker’s reply', async () => {
    const sent: unknown[] = []
    const reply = await sendMessage({ sendMessage: async (m) => (sent.push(m), { ok: true, data: state }) }, 'getState')
    expect(sent).toEqual([{ type: 'getState' }])
    expect(reply).toEqual({ ok: true, data: state })
  })

  it('turns a missing receiver or an empty reply into worker_unavailable', async () => {
    const rejected = await sendMessage(
      {
        sendMessage: async () => {
          throw new Error('Could not establish connection. Receiving end does not exist.')
        },
      },
      'connect',
    )
    expect(rejected).toEqual({ ok: false, error: { code: 'worker_unavailable', message: 'Could not establish connection. Receiving end does not exist.' } })
    const empty = await sendMessage({ sendMessage: async () => undefined }, 'connect')
    expect(empty.ok === false && empty.error.code).toBe('worker_unavailable')
  })
})

describe('dispatch', () => {
  it('calls the handler for the type and turns a throw into a reply', async () => {
    const handlers: Handlers = {
      getState: async () => ({ ok: true, data: state }),
      connect: async () => {
        throw new Error('boom')
      },
      addAccount: async () => ({ ok: true, data: state }),
      cancel: async () => ({ ok: true, data: state }),
      disconnect: async () => ({ ok: true, data: state }),
      disconnectAll: async () => ({ ok: true, data: state }),
      switchAccount: async (args) => ({ ok: true, data: { ...state, serverUrl: args.userId ?? '' } }),
      refreshProfile: async () => ({ ok: true, data: state }),
    }
    expect(await dispatch(handlers, { type: 'getState' })).toEqual({ ok: true, data: state })
    expect(await dispatch(handlers, { type: 'switchAccount', userId: '42' })).toEqual({ ok: true, data: { ...state, serverUrl: '42' } })
    expect(await dispatch(handlers, { type: 'connect' })).toEqual({ ok: false, error: { code: 'unexpected', message: 'boom' } })
  })
})
