/**
 * A ref callback that focuses a state's main button when the state appears, so Enter does the
 * obvious thing and keyboard users start in the right place. A stable function, so Preact calls
 * it once per mount (a plain callback ref: no hooks runtime in the popup bundle).
 */
export const focusOnMount = (element: HTMLElement | null): void => {
  element?.focus({ preventScroll: true })
}

/** Whether a key was pressed in this page: then a person is using the keyboard here. */
let keyboardUsed = false
globalThis.addEventListener?.('keydown', () => (keyboardUsed = true), { capture: true, once: true })

/**
 * A ref callback for the `@username` heading, focused when it appears so that screen readers
 * start there. Its focus ring shows once the keyboard is in use in the popup; a popup opened
 * with a click shows the profile without a ring around the name, which read as a text field.
 * (The buttons keep `focusOnMount`: their ring is where keyboard users start.)
 */
export const focusHeadingOnMount = (element: HTMLElement | null): void => {
  element?.focus({ preventScroll: true, focusVisible: keyboardUsed } as FocusOptions)
}
