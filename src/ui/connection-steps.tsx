import type { Step } from '../lib/connection-test'
import { RichText } from './rich-text'

const MARKS: Record<Step['state'], string> = { pending: '○', running: '…', ok: '✓', failed: '✗', skipped: '–' }
const SPOKEN: Record<Step['state'], string> = { pending: 'Not run', running: 'Running', ok: 'Passed', failed: 'Failed', skipped: 'Skipped' }

/**
 * The checks of src/lib/connection-test.ts as a list: a mark per state (also said in words to
 * screen readers) and each step's detail. Shown by the options page's **Test connection** and
 * by the welcome page.
 */
export function ConnectionSteps({ steps }: { steps: Step[] }) {
  return (
    <ol class="steps" aria-label="Connection checks">
      {steps.map((step) => (
        <li key={step.id} class={`step step-${step.state}`} data-step={step.id} data-state={step.state}>
          <span class="mark" aria-hidden="true">
            {MARKS[step.state]}
          </span>
          <div>
            <p class="step-label">
              {step.label} <span class="visually-hidden">— {SPOKEN[step.state]}</span>
            </p>
            {step.detail !== '' && (
              <p class="step-detail">
                <RichText text={step.detail} />
              </p>
            )}
          </div>
        </li>
      ))}
    </ol>
  )
}
