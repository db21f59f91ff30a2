import { Component } from 'preact'
import { deadReason, find, profileFor } from '../lib/accounts'
import type { Snapshot } from '../lib/storage'
import { Avatar } from './profile-card'

interface Props {
  snapshot: Snapshot
  onSwitch: (id: string) => void
  onAdd: () => void
}

/**
 * The account switcher (SPEC "Extension behaviour"): a button with the active account's picture
 * and `@username` (its accessible name) that opens a listbox of every account, most recently
 * active first (picture, `@username`, "Reconnect" where its token cannot be used now), and
 * **Add account**. The WAI-ARIA
 * listbox pattern: the list has the focus and points at the current option with
 * `aria-activedescendant`; ↑/↓ move (and wrap), Enter chooses, Escape closes and gives the focus
 * back to the button. A class component: no hooks runtime in the popup bundle.
 */
export class Switcher extends Component<Props, { open: boolean; cursor: number }> {
  override state = { open: false, cursor: 0 }
  private button: HTMLButtonElement | null = null
  private readonly setButton = (el: HTMLButtonElement | null) => {
    this.button = el
  }
  private list: HTMLUListElement | null = null
  private readonly setList = (el: HTMLUListElement | null) => {
    this.list = el
    el?.focus()
  }

  /** Opens on the active account, which the list shows first (most recently active first). */
  private readonly toggle = () => this.setState({ open: !this.state.open, cursor: 0 })

  private choose(id: string | null) {
    this.setState({ open: false })
    this.button?.focus()
    if (id !== null && id !== this.props.snapshot.accounts.order[0]) this.props.onSwitch(id)
  }

  private readonly onKey = (event: KeyboardEvent) => {
    const { order } = this.props.snapshot.accounts
    const { cursor } = this.state
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0
    if (event.key === 'Escape') this.choose(null)
    else if (event.target !== this.list) return
    else if (step !== 0) this.setState({ cursor: (cursor + step + order.length) % order.length })
    else if (event.key === 'Enter') this.choose(order[cursor]!)
    else return
    event.preventDefault()
  }

  override render({ snapshot, onAdd }: Props, { open, cursor }: { open: boolean; cursor: number }) {
    const { accounts, serverUrl } = snapshot
    const entries = accounts.order.map((id) => find(accounts, id)!)
    const active = profileFor(entries[0]!)
    return (
      <div class="switcher">
        <button ref={this.setButton} type="button" class="switcher-button" aria-haspopup="listbox" aria-expanded={open} onClick={this.toggle}>
          <Avatar profile={active} />
          <span class="switcher-name">@{active.username}</span>
        </button>
        {open && (
          <div class="switcher-menu" onKeyDown={this.onKey}>
            <ul ref={this.setList} role="listbox" tabIndex={0} aria-label="Instagram accounts" aria-activedescendant={`account-${cursor}`}>
              {entries.map((entry, i) => {
                const id = entry.account.user.id
                const profile = profileFor(entry)
                return (
                  <li key={id} id={`account-${i}`} role="option" aria-selected={i === 0} class={i === cursor ? 'cursor' : undefined} onClick={() => this.choose(id)}>
                    <Avatar profile={profile} />
                    <span class="switcher-name">@{profile.username}</span>
                    {deadReason(entry.account, serverUrl, Date.now()) !== null && <span class="mark">Reconnect</span>}
                  </li>
                )
              })}
            </ul>
            <button type="button" class="btn btn-block" onClick={onAdd}>
              Add account
            </button>
          </div>
        )}
      </div>
    )
  }
}
