import type { ComponentChildren } from 'preact'
import { t, type MessageId } from '../lib/i18n'

/** Private-use characters stand in for the parts while the browser fills in the message. */
const slot = (i: number) => String.fromCharCode(0xe000 + i)

/**
 * A message whose placeholders are elements (`Click the <strong>Extensions</strong> button`):
 * the translation decides where each part goes. Parts fill the placeholders in order.
 */
export function Message({ id, parts }: { id: MessageId; parts: ComponentChildren[] }) {
  const text = t(id, ...parts.map((_, i) => slot(i)))
  return <>{text.split(/([\ue000-\ue0ff])/).map((piece) => (/^[\ue000-\ue0ff]$/.test(piece) ? parts[piece.charCodeAt(0) - 0xe000] : piece))}</>
}
