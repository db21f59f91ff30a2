import { describe, expect, it } from 'vitest'
import { everyTestPassed } from './common'

/** Screenshots reach docs/screenshots/ only from a run in which every test passed (issue 14). */
describe('everyTestPassed', () => {
  const test = (state?: string) => ({ type: 'test', mode: 'run', result: state === undefined ? undefined : { state } })
  const suite = (...tasks: object[]) => ({ type: 'suite', mode: 'run', tasks }) as Parameters<typeof everyTestPassed>[0]

  it('is true only when every test, in every nested suite, passed', () => {
    expect(everyTestPassed(suite(test('pass'), suite(test('pass'), test('pass'))))).toBe(true)
    expect(everyTestPassed(suite(test('pass'), suite(test('fail'))))).toBe(false)
    // Skipped or filtered out (`-t`): not a full run, so nothing is published.
    expect(everyTestPassed(suite(test('pass'), test('skip')))).toBe(false)
    expect(everyTestPassed(suite(test('pass'), test()))).toBe(false)
  })
})
