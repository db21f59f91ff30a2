import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'

export interface Machine {
  cpu: string
  cores: number
  memory: string
  node: string
  chromium: string
  os: string
  /** 1-minute load average before and after the run: other work on the machine skews timings. */
  load: string
}

/** Where the figures come from: they only compare within one run on one machine. */
export function describeMachine(chromiumPath: string, load: { before: number[]; after: number[] }): Machine {
  const cpus = os.cpus()
  let chromium = 'not found'
  try {
    chromium = execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    // reported as "not found"
  }
  let distro = `${os.type()} ${os.release()}`
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]
    if (pretty) distro = `${pretty}, kernel ${os.release()}`
  } catch {
    // keep the kernel name
  }
  // Virtual machines often report 0 MHz to os.cpus(); /proc/cpuinfo has the clock.
  let mhz = cpus[0]?.speed ?? 0
  if (!mhz) {
    try {
      mhz = Math.round(Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 0))
    } catch {
      // unknown
    }
  }
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'}${mhz ? ` @ ${mhz} MHz` : ''}`,
    cores: os.availableParallelism(),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    chromium,
    os: distro,
    load: `${load.before[0]?.toFixed(2)} before, ${load.after[0]?.toFixed(2)} after`,
  }
}
