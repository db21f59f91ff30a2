import { focusOnMount } from '../focus'

export function NotConfigured({ onOptions }: { onOptions: () => void }) {
  return (
    <div class="state state-center">
      <h1>Set up the server first</h1>
      <p class="muted">
        The extension signs you in through your own Instagram Connect server, which keeps the Instagram app secret. Tell it where that
        server runs.
      </p>
      <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={onOptions}>
        Open options
      </button>
    </div>
  )
}
