/**
 * Issue 16: a component never renders words of its own; every string a person reads comes from
 * `_locales` through `t()`. The scan reads src/**\/*.tsx with the TypeScript parser and flags
 * - JSX text with a letter in it (`<h1>Connect</h1>`);
 * - a string with a letter given to an attribute people read (`aria-label`, `title`, `alt`,
 *   `placeholder`, `label`, …), directly or through `{…}`;
 * - a string with a letter among a JSX element's children (`{busy ? 'Testing…' : null}`);
 * - a sentence-like string anywhere in the file (a capital, a space and a lower-case word), such
 *   as a table of labels kept beside the component.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const PEOPLE_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-valuetext', 'aria-roledescription', 'title', 'alt', 'placeholder', 'label', 'text', 'summary'])
const LETTER = /\p{L}/u
const SENTENCE = /^\s*\p{Lu}\p{Ll}*[\s,:]+\p{L}+/u

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? files(path) : entry.name.endsWith('.tsx') ? [path] : []
  })
}

interface Finding {
  where: string
  text: string
  why: string
}

/** The people-facing literals of one .tsx source. */
export function scan(path: string, source: string): Finding[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const out: Finding[] = []
  const add = (node: ts.Node, text: string, why: string) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file))
    out.push({ where: `${relative(process.cwd(), path)}:${line + 1}`, text: text.trim(), why })
  }
  /** String literals that a `{…}` expression can evaluate to (through ?:, ||, ??, parentheses). */
  const outcomes = (node: ts.Expression): ts.Node[] => {
    if (ts.isParenthesizedExpression(node)) return outcomes(node.expression)
    if (ts.isConditionalExpression(node)) return [...outcomes(node.whenTrue), ...outcomes(node.whenFalse)]
    if (ts.isBinaryExpression(node) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(node.operatorToken.kind)) {
      return [...outcomes(node.left), ...outcomes(node.right)]
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return [node]
    return []
  }
  const literalText = (node: ts.Node) =>
    ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ') : (node as ts.StringLiteral).text
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && LETTER.test(node.text.replace(/&#?\w+;/g, ''))) add(node, node.text, 'JSX text')
    if (ts.isJsxAttribute(node) && PEOPLE_ATTRIBUTES.has(node.name.getText(file)) && node.initializer !== undefined) {
      const init = node.initializer
      const candidates = ts.isStringLiteral(init) ? [init] : ts.isJsxExpression(init) && init.expression !== undefined ? outcomes(init.expression) : []
      for (const c of candidates) if (LETTER.test(literalText(c))) add(c, literalText(c), `${node.name.getText(file)}=`)
    }
    if (ts.isJsxExpression(node) && node.expression !== undefined && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const c of outcomes(node.expression)) if (LETTER.test(literalText(c))) add(c, literalText(c), 'JSX child')
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && SENTENCE.test(node.text) && !ts.isImportDeclaration(node.parent)) {
      add(node, node.text, 'sentence')
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  // One finding per place.
  return out.filter((f, i) => out.findIndex((g) => g.where === f.where && g.text === f.text) === i)
}

describe('components render messages, never literals', () => {
  it('finds the kinds of literal it looks for (the scan itself)', () => {
    const sample = `
      const LABELS = { retry: 'Try again' }
      export const A = ({ busy }: { busy: boolean }) => (
        <div class="btn btn-primary" data-view="connected">
          <h1>Connect your account</h1>
          <button aria-label="Options" title={busy ? 'Busy' : t('x')}>{busy ? 'Testing…' : t('y')}</button>
          <img alt="A picture" src="/x.png" />
          <CopyField label={\`Redirect \${x}\`} />
          {'\\u00a0'} · {t('z')}
        </div>
      )`
    const found = scan('sample.tsx', sample).map((f) => `${f.why}: ${f.text}`)
    expect(found).toEqual([
      'sentence: Try again',
      'JSX text: Connect your account',
      'aria-label=: Options',
      'title=: Busy',
      'JSX child: Testing…',
      'alt=: A picture',
      'label=: Redirect',
    ])
  })

  const sources = files('src')
  it('scans the popup, options and shared UI', () => {
    expect(sources.length).toBeGreaterThan(10)
  })

  for (const path of sources) {
    it(relative('src', path), () => {
      expect(scan(path, readFileSync(path, 'utf8'))).toEqual([])
    })
  }
})
