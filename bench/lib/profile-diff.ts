/**
 * `tsx bench/lib/profile-diff.ts a.cpuprofile b.cpuprofile`: self time by function, a minus b,
 * each as a share of its own non-idle samples (so the two runs need not be equally long).
 * Named functions are matched by name, so two bundles of the same libraries line up.
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function shares(file: string): Map<string, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') return
    // Named functions by name alone, so that the same library code matches across two bundles.
    const where = `${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|bench)\//, '$1/')}:${frame.lineNumber + 1}`
    const key = frame.functionName ? `${frame.functionName}${frame.url.startsWith('node:') ? ` ${where}` : ''}` : `(anonymous) ${where}`
    const time = profile.timeDeltas[i] ?? 0
    self.set(key, (self.get(key) ?? 0) + time)
    busy += time
  })
  for (const [key, time] of self) self.set(key, time / busy)
  return self
}

const [a, b] = process.argv.slice(2).map(shares)
const keys = new Set([...a!.keys(), ...b!.keys()])
const rows = [...keys].map((k) => [k, (a!.get(k) ?? 0) * 100, (b!.get(k) ?? 0) * 100] as const)
rows.sort((x, y) => y[1] - y[2] - (x[1] - x[2]))
console.log('   a %    b %  function (a = first profile)')
for (const [key, pa, pb] of rows.slice(0, 35)) console.log(`${pa.toFixed(1).padStart(5)} ${pb.toFixed(1).padStart(5)}  ${key}`)
