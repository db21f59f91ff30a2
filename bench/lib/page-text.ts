/** A page's text as a person would read it: JSON as is, HTML without its tags; one line, at most 160 characters. */
export function shown(text: string): string {
  const plain = text.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ')
  // A stack trace's first line is what it says; the frames are paths on this machine.
  const line = plain.replace(/\s+/g, ' ').trim().split(/ at (?:\S+ \(|\/)/)[0]!.replace(/\.$/, '')
  return line.length > 160 ? `${line.slice(0, 157)}…` : line
}
