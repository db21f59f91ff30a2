import { focusOnMount } from '../focus'

export function NotConfigured({ onOptions }: { onOptions: () => void }) {
  return (
    <div class="state state-center">
      <h1>Set up the server first</h1>
      <p class="muted">Tell the extension where your Instagram Connect server runs.</p>
      <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={onOptions}>
        Open options
      </button>
    </div>
  )
}
