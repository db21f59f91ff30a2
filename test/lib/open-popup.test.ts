import { describe, expect, it } from 'vitest'
import { openToolbarPopup } from '../../src/lib/open-popup'

describe('openToolbarPopup', () => {
  it('opens the popup where action.openPopup exists', async () => {
    let calls = 0
    expect(await openToolbarPopup({ openPopup: async () => void calls++ })).toBe(true)
    expect(calls).toBe(1)
  })

  it('says no when the browser has no action.openPopup', async () => {
    expect(await openToolbarPopup({})).toBe(false)
    expect(await openToolbarPopup(undefined)).toBe(false)
  })

  it('says no when the browser refuses (no focused window, no user gesture)', async () => {
    expect(await openToolbarPopup({ openPopup: () => Promise.reject(new Error('Could not find an active browser window.')) })).toBe(false)
  })
})
