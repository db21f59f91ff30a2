import type { Machine } from './machine'

/** One measured figure against its target. `pass` is undefined for figures shown for context. */
export interface Figure {
  label: string
  measured: string
  target: string
  pass?: boolean
}

export interface RowResult {
  id: number
  title: string
  how: string
  figures: Figure[]
  /** Markdown paragraphs: what the figures mean, what was changed, what limits them. */
  notes: string[]
}

const verdict = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? 'met' : 'MISSED')

export function consoleTable(rows: RowResult[]): string {
  const lines: string[][] = [['#', 'measurement', 'measured', 'target', '']]
  for (const row of rows) {
    for (const [i, f] of row.figures.entries()) lines.push([i === 0 ? String(row.id) : '', `${i === 0 ? `${row.title}: ` : '  '}${f.label}`, f.measured, f.target, verdict(f.pass)])
  }
  const widths = lines[0]!.map((_, col) => Math.max(...lines.map((l) => l[col]!.length)))
  return lines.map((l) => l.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n')
}

const cell = (text: string) => text.replaceAll('|', '\\|')

export function markdown(rows: RowResult[], machine: Machine, command: string, date: Date, durationS: number, changes: readonly string[] = []): string {
  const out: string[] = []
  out.push('# Benchmarks', '')
  out.push(
    `Written by \`${command}\` on ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC (${durationS.toFixed(0)} s). ` +
      'Every comparison is measured side by side in the same run, so the ratios and differences hold ' +
      'better than the absolute times, which change with the machine and its load. Timings are kept out ' +
      'of `npm test`; only the popup size budget (row 4) is a test, `test/budget/popup-size.test.ts`.',
    '',
  )
  out.push('## Machine', '')
  out.push('| | |', '|---|---|')
  out.push(`| CPU | ${cell(machine.cpu)} |`, `| cores | ${machine.cores} |`, `| memory | ${machine.memory} |`)
  out.push(`| OS | ${cell(machine.os)} |`, `| Node | ${machine.node} |`, `| Chromium | ${cell(machine.chromium)} |`)
  out.push(`| load average (1 min) | ${machine.load} |`, '')
  out.push('## Results', '')
  out.push('| # | measurement | measured | target | |', '|---|---|---|---|---|')
  for (const row of rows) {
    for (const [i, f] of row.figures.entries()) {
      out.push(`| ${i === 0 ? row.id : ''} | ${i === 0 ? `**${cell(row.title)}**: ` : ''}${cell(f.label)} | ${cell(f.measured)} | ${cell(f.target)} | ${verdict(f.pass)} |`)
    }
  }
  out.push('')
  for (const row of rows) {
    out.push(`## ${row.id}. ${row.title}`, '', `How: ${row.how}`, '')
    for (const note of row.notes) out.push(note, '')
  }
  if (changes.length > 0) {
    out.push('## Changes made for these targets', '')
    for (const change of changes) out.push(`- ${change}`)
    out.push('')
  }
  out.push(
    '## Tools',
    '',
    '- `npm run bench -- --only 1,3`: some rows, printed, BENCHMARKS.md untouched (`--markdown` also prints what a full run would write for them).',
    '- `tsx bench/compare.ts <concurrency | health> <server command>…`: server builds side by side (A/B of a change).',
    '- `tsx bench/profile.ts token|health [--bare]`: a `--cpu-prof` profile of the server under load, in bench/profiles/;',
    '  `tsx bench/lib/profile-summary.ts <file>` and `tsx bench/lib/profile-diff.ts <a> <b>` read them.',
    '',
  )
  return out.join('\n')
}
