import { focusOnMount } from '../focus'

const WAITING = {
  authorizing: 'Waiting for you to authorize in the Instagram window…',
  exchanging: 'Finishing sign-in with the server…',
} as const

export function Connecting({ phase, onCancel }: { phase: keyof typeof WAITING; onCancel: () => void }) {
  return (
    <div class="state state-center">
      <div class="spinner" aria-hidden="true" />
      <h1>Connecting…</h1>
      <p role="status">{WAITING[phase]}</p>
      <p class="fine">You can close this popup: the connection finishes on its own.</p>
      <button ref={focusOnMount} type="button" class="btn" onClick={onCancel}>
        Cancel
      </button>
    </div>
  )
}
