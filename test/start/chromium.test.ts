import { describe, expect, it } from 'vitest'
import { chromiumArgs, earlyExitMessage } from '../../scripts/lib/chromium'

const base = { extensionDir: '/repo/dist/chrome', profile: '/repo/.tmp/chromium-profile', urls: [] }

describe('chromiumArgs', () => {
  it('loads the extension on its own profile, and adds --no-sandbox only as root', () => {
    const user = chromiumArgs({ ...base, root: false })
    expect(user).toContain('--load-extension=/repo/dist/chrome')
    expect(user).toContain('--user-data-dir=/repo/.tmp/chromium-profile')
    expect(user).not.toContain('--no-sandbox')
    expect(chromiumArgs({ ...base, root: true })).toContain('--no-sandbox')
  })

  it('opens the pages it is given, last', () => {
    expect(chromiumArgs({ ...base, root: false, urls: ['chrome-extension://x/welcome.html'] }).at(-1)).toBe('chrome-extension://x/welcome.html')
  })
})

describe('earlyExitMessage', () => {
  it('names the exit, quotes the last lines and says what to do', () => {
    const text = earlyExitMessage('/usr/bin/chromium', { code: 1, signal: null }, 'noise\n[0:0:ERROR] Running as root without --no-sandbox is not supported.\n', '/repo/dist/chrome')
    expect(text).toContain('/usr/bin/chromium) exited with code 1 within 5 s')
    expect(text).toContain('  [0:0:ERROR] Running as root without --no-sandbox is not supported.')
    expect(text).toContain('run as a normal user')
    expect(text).toContain('NO_BROWSER=1')
  })

  it('names a signal, and says when the browser printed nothing', () => {
    const text = earlyExitMessage('/usr/bin/chromium', { code: null, signal: 'SIGSEGV' }, '', '/repo/dist/chrome')
    expect(text).toContain('was killed by SIGSEGV')
    expect(text).toContain('It printed nothing.')
  })

  it('points at a profile another Chromium holds', () => {
    expect(earlyExitMessage('c', { code: 21, signal: null }, 'Failed to create a ProcessSingleton for your profile directory.', '/d')).toContain('close that one first')
  })
})
