import { it } from 'vitest'
import puppeteer from 'puppeteer-core'
import { FIREFOX_EXTENSION_ID } from '../server/extension-ids'
import { FIREFOX_BUILD_DIR, FIREFOX_EXTENSION_UUID, FIREFOX_PATH, firefoxDriver } from './e2e/firefox-driver'
import { startStack } from './support/stack'
it('ff default idle, popup closed 40 s', async () => {
  const stack = await startStack()
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: FIREFOX_EXTENSION_UUID }), 'extensions.originControls.grantByDefault': true } })
  await browser.installExtension(FIREFOX_BUILD_DIR)
  const d = firefoxDriver(browser)
  const opt = await d.openOptions()
  await opt.fill('Server URL', stack.serverUrl); await opt.clickButton('Save'); await opt.waitForText('Saved.')
  await opt.close()
  const popup = await d.openPopup()
  await popup.waitFor('.popup[data-view="disconnected"]')
  const consent = await d.expectNewPage(() => popup.clickButton('Connect Instagram'))
  await popup.close()
  await new Promise((r) => setTimeout(r, 40000))
  await consent.clickButton('Authorize').catch((e) => console.log('auth click', String(e).slice(0, 100)))
  await new Promise((r) => setTimeout(r, 3000))
  const p2 = await d.openPopup()
  await new Promise((r) => setTimeout(r, 3000))
  console.log('RESULT view', await p2.attribute('.popup', 'data-view'), await p2.text('h1'), stack.logs.join(' | '))
  await browser.close(); await stack.close()
}, 120000)
