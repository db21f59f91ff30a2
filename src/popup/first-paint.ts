import type { Profile } from '../lib/api'
import { t } from '../lib/i18n'

/**
 * The popup's first frame for a connected account, as soon as storage is read: a copy of
 * popup.html's `<template id="first-frame">` (the bar with the account switcher's button and
 * the options button, and the profile card's head, with the elements and classes the App
 * renders there, so the CSS puts them where they end up), with the initial, `@username` and
 * the name filled in as text. Preact's first `render` into
 * the same root takes these elements over (a root's existing children are reused in order,
 * their attributes and text corrected) and adds the rest of the view around them: nothing on
 * screen moves or changes.
 *
 * Why: between the storage read and this frame, Preact's first render of the view took about
 * 8 ms of the main thread (bench/popup-trace.ts), most of the popup's distance from the bench's
 * storage floor; this takes a fraction of a millisecond (issue 18). The template is HTML, not
 * JavaScript, so it costs nothing of the popup's script budget.
 */
export function paintProfileHead(root: HTMLElement, profile: Profile): void {
  const frame = (document.getElementById('first-frame') as HTMLTemplateElement).content.cloneNode(true) as DocumentFragment
  const fill = (selector: string, ...text: string[]) => frame.querySelectorAll(selector).forEach((el) => el.append(...text))
  // The bar's switcher and the card: the picture's initial, and `@username` as two text nodes, as
  // Preact renders `@{username}`, so it takes both over unchanged.
  fill('.avatar-initial', profile.username.charAt(0).toUpperCase())
  fill('.handle, .switcher-name', '@', profile.username)
  // The name's line is there even without a name, as in the card (profile-card.tsx), so nothing below moves.
  fill('.name', profile.name ?? '\u00a0')
  frame.querySelector('.options-btn')!.setAttribute('aria-label', t('options'))
  root.append(frame)
}
