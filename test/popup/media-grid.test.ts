import { describe, expect, it } from 'vitest'
import { pictureOf } from '../../src/popup/media-grid'

/** Which picture a media tile shows (SPEC "Extension behaviour": never a broken image). */
describe('pictureOf', () => {
  const base = { id: '1', permalink: 'https://www.instagram.com/p/x/' }

  it('a video shows its thumbnail, never its media_url (the video file)', () => {
    expect(pictureOf({ ...base, media_type: 'VIDEO', media_url: 'https://cdn.example/v.mp4', thumbnail_url: 'https://cdn.example/t.jpg' })).toBe('https://cdn.example/t.jpg')
    expect(pictureOf({ ...base, media_type: 'VIDEO', media_url: 'https://cdn.example/v.mp4' })).toBeUndefined()
  })

  it('a licensed-audio video without media_url: the thumbnail, else nothing (the placeholder)', () => {
    expect(pictureOf({ ...base, media_type: 'VIDEO', thumbnail_url: 'https://cdn.example/t.jpg' })).toBe('https://cdn.example/t.jpg')
    expect(pictureOf({ ...base, media_type: 'VIDEO' })).toBeUndefined()
  })

  it('a photo or album shows media_url, else thumbnail_url; never a script URL', () => {
    expect(pictureOf({ ...base, media_type: 'IMAGE', media_url: 'https://cdn.example/p.jpg' })).toBe('https://cdn.example/p.jpg')
    expect(pictureOf({ ...base, media_type: 'CAROUSEL_ALBUM', thumbnail_url: 'https://cdn.example/t.jpg' })).toBe('https://cdn.example/t.jpg')
    expect(pictureOf({ ...base, media_type: 'IMAGE', media_url: 'javascript:alert(1)' })).toBeUndefined()
  })
})
