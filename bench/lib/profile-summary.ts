/**
 * `tsx bench/lib/profile-summary.ts file.cpuprofile`: self time by function and inclusive time
 * by script, the first look at a `--cpu-prof` profile.
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

export function summarize(profile: Profile, top = 30): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const short = (url: string) => url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|bench)\//, '$1/')
  const inclusive = new Map<string, number>()
  const selfByFunction = new Map<string, number>()
  for (const [id, time] of self) {
    const node = byId.get(id)!
    const key = `${node.callFrame.functionName || '(anonymous)'} ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + time)
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame
      const script = short(frame.url) || `(${frame.functionName})`
      if (!seen.has(script)) inclusive.set(script, (inclusive.get(script) ?? 0) + time)
      seen.add(script)
    }
  }
  const table = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, time]) => `${(time / 1000).toFixed(1).padStart(9)} ms  ${key}`)
  return [
    `profile: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`,
    '--- inclusive, by script',
    ...table(inclusive),
    '--- self, by function',
    ...table(selfByFunction),
  ].join('\n')
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  for (const file of process.argv.slice(2)) console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile))
}
