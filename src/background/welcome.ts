/** The page the extension opens on a fresh install (SPEC "Extension behaviour"). */
export const WELCOME_PAGE = 'welcome.html'

/** The slice of `browser` that opening the welcome page needs. */
export interface WelcomeBrowser {
  runtime: { getURL(path: string): string }
  tabs: { create(properties: { url: string }): Promise<unknown> }
}

/**
 * `runtime.onInstalled`: on a fresh install (reason `install`) opens the welcome page in a new
 * tab — how to pin the extension, whether the server answers, a way to open the popup. Updates
 * (`update`, handled in ./index.ts with the data migration), browser updates and shared-module
 * updates open nothing. `tabs.create` needs no permission.
 */
export async function openWelcomeOnInstall(browser: WelcomeBrowser, details: { reason: string }): Promise<void> {
  if (details.reason !== 'install') return
  await browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) })
}
