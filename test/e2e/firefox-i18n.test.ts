/**
 * Issue 16 in Firefox ESR: with `intl.locale.requested` = pt-BR the popup, its numbers and the
 * options page speak Brazilian Portuguese (the extension's `_locales/pt_BR`), connected included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messageIn } from '../support/i18n'
import { startStack, type Stack } from '../support/stack'
import { waitForView } from './driver'
import { assertFirefoxPrerequisites, launchFirefox, type FirefoxDriver } from './firefox-driver'
import { USER } from './scenarios'

const TIMEOUT = 60_000
const say = (id: string, ...subs: (string | number)[]) => messageIn('pt-BR', id, ...subs)
let stack: Stack
let driver: FirefoxDriver

beforeAll(async () => {
  assertFirefoxPrerequisites()
  stack = await startStack()
  driver = await launchFirefox(undefined, { lang: 'pt-BR' })
}, 90_000)

afterAll(async () => {
  await driver?.close()
  await stack?.close()
})

describe('Firefox ESR in pt-BR', () => {
  it('shows the options page and the popup in Portuguese, connected included', async () => {
    const options = await driver.openOptions()
    expect(await options.evaluate(() => [document.documentElement.lang, document.title], undefined)).toEqual(['pt-BR', 'Instagram Connect — Opções'])
    await options.fill(say('server_url_label'), stack.serverUrl)
    await options.clickButton(say('button_save'))
    await options.waitForText(say('server_saved', stack.serverUrl))
    await options.close()

    const popup = await driver.openPopup()
    await waitForView(popup, 'disconnected')
    await popup.waitForText('Conecte sua conta do Instagram')
    const consent = await driver.expectNewPage(() => popup.clickButton('Conectar Instagram'))
    await waitForView(popup, 'connecting')
    await consent.clickButton('Authorize')
    await waitForView(popup, 'connected')
    await popup.waitForText(`@${USER}`)
    await popup.waitForText('publicações')
    await popup.waitForText('seguidores')
    await popup.waitForText('Conta comercial')
    expect(await popup.text('.actions .btn')).toBe('Desconectar')
    await popup.screenshot('.popup', 'popup-connected-pt-BR')
    await popup.clickButton('Desconectar')
    await waitForView(popup, 'disconnected')
    await popup.close()
  }, TIMEOUT)
})
