import { focusOnMount } from '../focus'

export function Disconnected({ serverUrl, onConnect }: { serverUrl: string; onConnect: () => void }) {
  return (
    <div class="state state-center">
      <img class="hero" src="/icons/icon-128.png" width={72} height={72} alt="" />
      <h1>Connect your Instagram account</h1>
      <p class="muted">See your profile and recent posts here. You will approve access in an Instagram window.</p>
      <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={onConnect}>
        Connect Instagram
      </button>
      <p class="fine">
        Server: <span class="server-url">{serverUrl}</span>
      </p>
    </div>
  )
}
