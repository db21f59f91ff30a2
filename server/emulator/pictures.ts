import { Hono } from 'hono'
import { findUser, TEST_USERS } from './users'
import type { TestMedia } from './users'

/**
 * Small generated SVG pictures, so profile_picture_url / media_url point at the emulator
 * itself and nothing external is fetched.
 */
export const PICTURES_PATH = '/__emulator/pictures'

export function avatarUrl(origin: string, username: string): string {
  return `${origin}${PICTURES_PATH}/avatar/${encodeURIComponent(username)}.svg`
}

export function mediaUrl(origin: string, mediaId: string): string {
  return `${origin}${PICTURES_PATH}/media/${encodeURIComponent(mediaId)}.svg`
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

function hue(text: string): number {
  let h = 0
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 360
  return h
}

function initials(name: string): string {
  const parts = name.split(/[\s._-]+/).filter(Boolean)
  return parts.slice(0, 2).map((p) => p[0]?.toUpperCase() ?? '').join('') || '?'
}

function avatarSvg(username: string, name: string): string {
  const h = hue(username)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="150" height="150" viewBox="0 0 150 150">` +
    `<rect width="150" height="150" fill="hsl(${h},55%,45%)"/>` +
    `<text x="75" y="75" dy=".35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="60" fill="#fff">${escapeXml(initials(name))}</text>` +
    `</svg>`
}

function mediaSvg(media: TestMedia, index: number): string {
  const label = media.mediaType === 'VIDEO' ? '▶' : media.mediaType === 'CAROUSEL_ALBUM' ? '❏' : String(index + 1)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">` +
    `<rect width="320" height="320" fill="${escapeXml(media.color)}"/>` +
    `<text x="160" y="160" dy=".35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="96" fill="rgba(255,255,255,.85)">${escapeXml(label)}</text>` +
    `</svg>`
}

function svg(body: string): Response {
  return new Response(body, {
    headers: { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=3600' },
  })
}

/** `GET /avatar/:username.svg` and `GET /media/:id.svg`. */
export function createPictures(): Hono {
  const pictures = new Hono()
  pictures.get('/avatar/:file', (c) => {
    const user = findUser(c.req.param('file').replace(/\.svg$/, ''))
    return user ? svg(avatarSvg(user.username, user.name)) : c.notFound()
  })
  pictures.get('/media/:file', (c) => {
    const id = c.req.param('file').replace(/\.svg$/, '')
    for (const user of TEST_USERS) {
      const index = user.media.findIndex((m) => m.id === id)
      const media = user.media[index]
      if (media) return svg(mediaSvg(media, index))
    }
    return c.notFound()
  })
  return pictures
}
