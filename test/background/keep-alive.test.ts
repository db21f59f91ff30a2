import { afterEach, describe, expect, it, vi } from 'vitest'
import { keepAliveWhile, PING_MS } from '../../src/background/keep-alive'

describe('keepAliveWhile', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('pings every second, under Chrome’s 30 s and any Firefox idle timeout above a second', () => {
    expect(PING_MS).toBe(1_000)
  })

  it('pings every PING_MS while the work runs, and stops after', async () => {
    vi.useFakeTimers()
    let finish: (value: string) => void = () => undefined
    const work = new Promise<string>((resolve) => (finish = resolve))
    const ping = vi.fn(async () => ({ os: 'linux' }))
    const result = keepAliveWhile(ping, work)
    await vi.advanceTimersByTimeAsync(5 * PING_MS + PING_MS / 2)
    expect(ping).toHaveBeenCalledTimes(5)
    finish('done')
    expect(await result).toBe('done')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(ping).toHaveBeenCalledTimes(5)
  })

  it('ignores a failing ping and passes the work’s failure through', async () => {
    vi.useFakeTimers()
    const ping = () => {
      throw new Error('no runtime')
    }
    const result = keepAliveWhile(ping, new Promise((_, reject) => setTimeout(() => reject(new Error('boom')), 30_000)))
    const settled = expect(result).rejects.toThrow('boom')
    await vi.advanceTimersByTimeAsync(30_000)
    await settled
  })
})
