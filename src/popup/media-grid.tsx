import type { MediaItem } from '../lib/api'
import { safeUrl } from './format'

export const GRID_SIZE = 6

const pictureOf = (item: MediaItem) => safeUrl(item.media_type === 'VIDEO' ? (item.thumbnail_url ?? item.media_url) : (item.media_url ?? item.thumbnail_url))

function describe(item: MediaItem): string {
  const kind = item.media_type === 'VIDEO' ? 'Video' : item.media_type === 'CAROUSEL_ALBUM' ? 'Album' : 'Photo'
  const caption = item.caption?.trim() ?? ''
  if (caption === '') return `${kind} without a caption`
  return `${kind}: ${caption.length > 120 ? `${caption.slice(0, 119)}…` : caption}`
}

function Tile({ item }: { item: MediaItem }) {
  const src = pictureOf(item)
  const href = safeUrl(item.permalink)
  const label = describe(item)
  const picture = (
    <>
      {src !== undefined && <img src={src} alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" />}
    </>
  )
  return href !== undefined ? (
    <a class="tile" data-type={item.media_type} href={href} target="_blank" rel="noopener noreferrer" title={label} aria-label={`${label} (opens Instagram)`}>
      {picture}
    </a>
  ) : (
    <div class="tile" data-type={item.media_type} role="img" title={label} aria-label={label}>
      {picture}
    </div>
  )
}

/**
 * The recent posts as a 3×2 grid. The grid keeps its size while loading (placeholder tiles),
 * so nothing below it moves when `/me/media` answers.
 */
export function MediaGrid({ media, loading }: { media: MediaItem[] | null; loading: boolean }) {
  return (
    <section class="recent" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent posts</h2>
      {media !== null && media.length === 0 ? (
        <div class="grid grid-empty">
          <p class="muted">No posts yet.</p>
        </div>
      ) : (
        <ul class="grid" aria-busy={media === null && loading}>
          {Array.from({ length: GRID_SIZE }, (_, i) => {
            const item = media?.[i]
            return <li key={item?.id ?? `slot-${i}`}>{item !== undefined ? <Tile item={item} /> : <div class={media === null && loading ? 'tile tile-loading' : 'tile tile-none'} />}</li>
          })}
        </ul>
      )}
    </section>
  )
}
