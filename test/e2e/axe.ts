/**
 * axe-core (through @axe-core/playwright) on an extension page, at WCAG 2.2 A and AA: every
 * rule with the tags below, colour contrast and target size included.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export interface AuditResult {
  /** What was audited, e.g. `pt-BR dark popup connected`. */
  name: string
  violations: number
  passes: number
  /** One line per violating node: rule, impact, target, axe's summary. */
  details: string[]
}

/** Runs axe on the page as it is now. */
export async function audit(page: Page, name: string): Promise<AuditResult> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const details = results.violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact ?? 'n/a'}) ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? v.help}`),
  )
  return { name, violations: results.violations.reduce((sum, v) => sum + v.nodes.length, 0), passes: results.passes.length, details }
}
