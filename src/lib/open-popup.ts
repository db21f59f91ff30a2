/** The part of `browser.action` that opening the popup needs; `openPopup` is missing in older browsers. */
export interface PopupAction {
  openPopup?: () => Promise<unknown>
}

/**
 * Opens the toolbar popup from an extension page, where the browser can: `action.openPopup()`
 * (Chrome 127+, Firefox 109+ from a click). Resolves `false` when it is missing or refuses —
 * no focused normal window, or the browser wants a user gesture it did not see — so the caller
 * shows the words to click instead.
 */
export async function openToolbarPopup(action: PopupAction | undefined): Promise<boolean> {
  if (typeof action?.openPopup !== 'function') return false
  try {
    await action.openPopup()
    return true
  } catch {
    return false
  }
}
