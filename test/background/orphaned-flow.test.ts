import { describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/background/handlers'
import { endFlowOnSuspend, endOrphanedFlow } from '../../src/background/orphaned-flow'
import { items } from '../../src/lib/storage'
import { fakeDeps, NOW } from './fake-browser'

const INTERRUPTED = {
  title: 'The sign-in was interrupted',
  detail: 'The browser stopped the extension’s background worker before the sign-in finished, so nothing was connected. Try again.',
  next: ['retry'],
}

describe('a flow left behind by a stopped worker', () => {
  for (const phase of ['authorizing', 'exchanging'] as const) {
    it(`ends another instance’s ${phase} flow as interrupted, with the pending state`, async () => {
      const { deps, storage } = fakeDeps({
        session: { flow: { phase, started_at: NOW - 1000, worker: 'before' }, pendingAuth: { state: 's', redirect_uri: 'r', started_at: NOW } },
      })
      expect(await endOrphanedFlow({ ...deps, instance: 'now' })).toBe(true)
      const flow = await items.flow.get(storage)
      expect(flow).toMatchObject({ phase: 'error', error: { code: 'interrupted' }, notice: INTERRUPTED, at: NOW })
      expect(await items.pendingAuth.get(storage)).toBeNull()
      const state = await createHandlers(deps).getState({})
      expect(state.ok && state.data.view).toMatchObject({ kind: 'error', notice: INTERRUPTED })
    })
  }

  it('ends a flow with no instance recorded (written before instances were)', async () => {
    const { deps, storage } = fakeDeps({ session: { flow: { phase: 'authorizing', started_at: NOW } } })
    expect(await endOrphanedFlow({ ...deps, instance: 'now' })).toBe(true)
    expect((await items.flow.get(storage)).phase).toBe('error')
  })

  it('leaves this instance’s own flow, and settled flows, alone', async () => {
    for (const flow of [{ phase: 'authorizing', started_at: NOW, worker: 'now' }, { phase: 'idle' }]) {
      const { deps, storage } = fakeDeps({ session: { flow } })
      expect(await endOrphanedFlow({ ...deps, instance: 'now' })).toBe(false)
      expect(await items.flow.get(storage)).toEqual(flow)
    }
  })

  it('lets the next Connect run normally', async () => {
    const { deps, storage, calls } = fakeDeps({ session: { flow: { phase: 'exchanging', started_at: NOW, worker: 'before' } } })
    const worker = { ...deps, instance: 'now' }
    await endOrphanedFlow(worker)
    const reply = await createHandlers(worker).connect({})
    expect(reply.ok && reply.data.view.kind).toBe('connected')
    expect(calls.fetch.filter((c) => c.path === '/token')).toHaveLength(1)
    expect(await items.flow.get(storage)).toEqual({ phase: 'idle' })
  })
})

describe('a flow whose page Firefox suspends (runtime.onSuspend)', () => {
  for (const phase of ['authorizing', 'exchanging'] as const) {
    it(`ends this instance’s own ${phase} flow as interrupted, with the pending state`, async () => {
      const { deps, storage } = fakeDeps({
        session: { flow: { phase, started_at: NOW - 1000, worker: 'now' }, pendingAuth: { state: 's', redirect_uri: 'r', started_at: NOW } },
      })
      expect(await endFlowOnSuspend({ ...deps, instance: 'now' })).toBe(true)
      expect(await items.flow.get(storage)).toMatchObject({ phase: 'error', error: { code: 'interrupted', message: expect.stringContaining('suspended') }, notice: INTERRUPTED })
      expect(await items.pendingAuth.get(storage)).toBeNull()
    })
  }

  it('leaves another instance’s flow, one without an instance, and settled flows alone', async () => {
    for (const flow of [
      { phase: 'exchanging', started_at: NOW, worker: 'before' },
      { phase: 'authorizing', started_at: NOW },
      { phase: 'idle' },
    ]) {
      const { deps, storage } = fakeDeps({ session: { flow } })
      expect(await endFlowOnSuspend({ ...deps, instance: 'now' })).toBe(false)
      expect(await items.flow.get(storage)).toEqual(flow)
    }
  })

  it('makes a token that still arrives (the suspension was cancelled) go unstored', async () => {
    const { deps, storage, calls } = fakeDeps()
    const me = { ...deps, instance: 'me' }
    // Firefox announces the suspension while POST /token is in flight.
    const fetch: typeof deps.fetch = async (input, init) => {
      if (String(input).endsWith('/token')) expect(await endFlowOnSuspend(me)).toBe(true)
      return deps.fetch(input, init)
    }
    const reply = await createHandlers({ ...me, fetch }).connect({})
    expect(calls.fetch.filter((c) => c.path === '/token')).toHaveLength(1)
    expect(reply.ok && reply.data.view).toMatchObject({ kind: 'error', error: { code: 'interrupted' } })
    expect(Object.keys(await storage.local.get(null)).filter((key) => key.startsWith('account:'))).toEqual([])
  })
})

describe('the flow records its worker instance', () => {
  it('in both phases', async () => {
    const phases: unknown[] = []
    const { deps, storage } = fakeDeps({
      consent: async (url) => {
        phases.push(await items.flow.get(storage))
        return `${url.searchParams.get('redirect_uri')}?code=C&state=${url.searchParams.get('state')}#_`
      },
      routes: {
        'POST /token': () => {
          void items.flow.get(storage).then((flow) => phases.push(flow))
          return { status: 400, body: { error: 'invalid_grant', error_description: 'used' } }
        },
      },
    })
    await createHandlers({ ...deps, instance: 'me' }).connect({})
    expect(phases).toEqual([
      { phase: 'authorizing', started_at: NOW, worker: 'me' },
      { phase: 'exchanging', started_at: NOW, worker: 'me' },
    ])
  })
})
