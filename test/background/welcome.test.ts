import { describe, expect, it } from 'vitest'
import { openWelcomeOnInstall, type WelcomeBrowser } from '../../src/background/welcome'

function fake() {
  const opened: string[] = []
  const browser: WelcomeBrowser = {
    runtime: { getURL: (path) => `chrome-extension://keaflfdjmoomnhhnpdggooggjkklfomp/${path}` },
    tabs: { create: async ({ url }) => opened.push(url) },
  }
  return { browser, opened }
}

describe('openWelcomeOnInstall', () => {
  it('opens the welcome page on a fresh install', async () => {
    const { browser, opened } = fake()
    await openWelcomeOnInstall(browser, { reason: 'install' })
    expect(opened).toEqual(['chrome-extension://keaflfdjmoomnhhnpdggooggjkklfomp/welcome.html'])
  })

  it.each(['update', 'chrome_update', 'browser_update', 'shared_module_update'])('opens nothing on %s', async (reason) => {
    const { browser, opened } = fake()
    await openWelcomeOnInstall(browser, { reason })
    expect(opened).toEqual([])
  })
})
