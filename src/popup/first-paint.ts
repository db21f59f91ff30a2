/**
 * The popup's first frame for a connected account, as soon as storage is read: a copy of
 * popup.html's `<template id="first-frame">` (the bar's place, and the profile card's head
 * with the elements and classes the App renders there, so the CSS puts them where they end up),
 * with the picture's initial and `@username` filled in as text. Preact's first `render` into
 * the same root takes these elements over (a root's existing children are reused in order,
 * their attributes and text corrected) and adds the rest of the view around them: nothing on
 * screen moves or changes.
 *
 * Why: between the storage read and this frame, Preact's first render of the view took about
 * 8 ms of the main thread (bench/popup-trace.ts), most of the popup's distance from the bench's
 * storage floor; this takes a fraction of a millisecond (issue 18). The template is HTML, not
 * JavaScript, so it costs nothing of the popup's script budget.
 */
export function paintProfileHead(root: HTMLElement, username: string): void {
  const frame = (document.getElementById('first-frame') as HTMLTemplateElement).content.cloneNode(true) as DocumentFragment
  frame.querySelector('.avatar-initial')!.append(username.charAt(0).toUpperCase())
  // Two text nodes, as Preact renders `@{username}`: it takes both over unchanged.
  frame.querySelector('.handle')!.append('@', username)
  root.append(frame)
}
