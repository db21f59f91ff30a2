import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/** The README's commands table (SPEC "Commands") names only commands package.json has, and all of SPEC's. */
describe('README commands table', () => {
  const readme = readFileSync('README.md', 'utf8')
  const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts)
  const table = readme.slice(readme.indexOf('| command | does |'))
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2)
  const commands = rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`npm (?:run )?([\w:-]+)`/g)].map((m) => m[1]!))

  it('lists every command of SPEC’s Commands table', () => {
    for (const command of ['start', 'test', 'dev', 'build', 'package', 'build:server', 'server', 'emulator', 'bench']) expect(commands).toContain(command)
  })

  it('names only scripts that package.json has', () => {
    for (const command of commands) expect(scripts, command).toContain(command)
  })
})
