import type { ApiClient } from './api'
import { describeError } from './errors'

export type StepId = 'health' | 'config' | 'redirect'
export type StepState = 'pending' | 'running' | 'ok' | 'failed' | 'skipped'

export interface Step {
  id: StepId
  label: string
  state: StepState
  /** What was found, or why it failed and what to do. Text in `backticks` is code. */
  detail: string
}

export const STEP_LABELS: Record<StepId, string> = {
  health: 'The server answers (GET /health)',
  config: 'The server has an Instagram app configured (GET /config)',
  redirect: 'The server allows this extension’s redirect URL',
}

const initial = (): Step[] =>
  (Object.keys(STEP_LABELS) as StepId[]).map((id) => ({ id, label: STEP_LABELS[id], state: 'pending', detail: '' }))

/**
 * The options page's **Test connection** (SPEC "Extension behaviour"): `/health`, then
 * `/config`, then whether the redirect URL is in `config.redirect_uris`. Each step reports as it
 * finishes; after a failure the later steps are `skipped`, so the one that failed is plain.
 */
export async function testConnection(
  api: Pick<ApiClient, 'health' | 'config'>,
  context: { serverUrl: string; redirectUri: string },
  report: (steps: Step[]) => void = () => undefined,
): Promise<Step[]> {
  let steps = initial()
  const set = (id: StepId, state: StepState, detail = '') => {
    steps = steps.map((step) => (step.id === id ? { ...step, state, detail } : step))
    report(steps)
  }
  const failAndSkip = (id: StepId, detail: string) => {
    set(id, 'failed', detail)
    for (const step of steps) if (step.state === 'pending') set(step.id, 'skipped', 'Not checked: an earlier step failed.')
    return steps
  }

  set('health', 'running')
  const health = await api.health()
  if (!health.ok) return failAndSkip('health', describeError(health.error, context).detail)
  set('health', 'ok', `${context.serverUrl} is up.`)

  set('config', 'running')
  const config = await api.config()
  if (!config.ok) return failAndSkip('config', describeError(config.error, context).detail)
  if (config.data.client_id === '') return failAndSkip('config', 'The server has no Instagram app id. Set `IG_CLIENT_ID` and restart it.')
  set('config', 'ok', `Instagram app ${config.data.client_id} (${config.data.api}), scope ${config.data.scope.join(', ')}.`)

  set('redirect', 'running')
  if (!config.data.redirect_uris.includes(context.redirectUri)) {
    const allowed = config.data.redirect_uris.length === 0 ? 'none' : config.data.redirect_uris.map((u) => `\`${u}\``).join(', ')
    return failAndSkip(
      'redirect',
      `\`${context.redirectUri}\` is not allowed (allowed: ${allowed}). Add it to \`ALLOWED_REDIRECT_URIS\` on the server and to the Instagram app’s redirect URIs, then restart the server.`,
    )
  }
  set('redirect', 'ok', `\`${context.redirectUri}\` is allowed.`)
  return steps
}
