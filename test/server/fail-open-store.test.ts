import { MemoryStore, type Store } from 'hono-rate-limiter'
import { describe, expect, it } from 'vitest'
import { FailOpenStore, RETRY_SHARED_MS } from '../../server/middleware/shared-rate-limit'

/** A shared store that fails while `down` is set, counting its calls. */
function flaky() {
  const memory = new MemoryStore()
  const state = { down: false, calls: 0 }
  const store: Store = {
    init: (options) => memory.init(options),
    increment: async (key) => {
      state.calls += 1
      if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })
      return memory.increment(key)
    },
    decrement: (key) => memory.decrement(key),
    resetKey: (key) => memory.resetKey(key),
  }
  return { store, state }
}

describe('FailOpenStore', () => {
  it('counts in the shared store; while it fails, locally, with one warning, then shared again with one line', async () => {
    const { store: shared, state } = flaky()
    const lines: string[] = []
    let now = 0
    const store = new FailOpenStore(shared, new MemoryStore(), (line) => lines.push(line), () => now)
    store.init({ windowMs: 60_000 } as never)

    expect((await store.increment('ip')).totalHits).toBe(1)
    expect((await store.increment('ip')).totalHits).toBe(2)

    state.down = true
    const callsBefore = state.calls
    // Local counting starts from zero; the shared store is tried once, then left alone for a second.
    expect((await store.increment('ip')).totalHits).toBe(1)
    expect((await store.increment('ip')).totalHits).toBe(2)
    expect(state.calls - callsBefore).toBe(1)
    store.failed(new Error('again'))
    expect(lines).toEqual([
      'warning: RATE_LIMIT_REDIS_URL: Redis is unavailable (ECONNREFUSED); each instance counts the per-IP limit on its own until it is back.',
    ])

    state.down = false
    now += RETRY_SHARED_MS
    expect((await store.increment('ip')).totalHits).toBe(3)
    expect(lines.at(-1)).toBe('RATE_LIMIT_REDIS_URL: Redis answers again; the per-IP limit is shared again.')
    expect(lines).toHaveLength(2)
  })
})
