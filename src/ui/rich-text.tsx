/**
 * Renders a message where `backticked` parts are code. Everything is a text node: messages can
 * quote server text, which must never become markup.
 */
export function RichText({ text }: { text: string }) {
  return <>{text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>
}
