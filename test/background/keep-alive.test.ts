import { afterEach, describe, expect, it, vi } from 'vitest'
import { keepAliveWhile } from '../../src/background/keep-alive'

describe('keepAliveWhile', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('pings every 25 s while the work runs, and stops after', async () => {
    vi.useFakeTimers()
    let finish: (value: string) => void = () => undefined
    const work = new Promise<string>((resolve) => (finish = resolve))
    const ping = vi.fn(async () => ({ os: 'linux' }))
    const result = keepAliveWhile(ping, work)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(ping).toHaveBeenCalledTimes(2)
    finish('done')
    expect(await result).toBe('done')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(ping).toHaveBeenCalledTimes(2)
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
