/**
 * A ref callback that focuses a state's main button when the state appears, so Enter does the
 * obvious thing and keyboard users start in the right place. A stable function, so Preact calls
 * it once per mount (a plain callback ref: no hooks runtime in the popup bundle).
 */
export const focusOnMount = (element: HTMLElement | null): void => {
  element?.focus({ preventScroll: true })
}
