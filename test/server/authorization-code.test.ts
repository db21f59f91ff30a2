import { describe, expect, it } from 'vitest'
import { authorizationCodeFrom } from '../../server/instagram/authorization-code'

describe('authorizationCodeFrom', () => {
  it.each([
    ['AQBx-9_z', 'AQBx-9_z'],
    // Instagram's suffix, as its redirect carries it.
    ['AQBx-9_z#_', 'AQBx-9_z'],
    // A client that appended it twice, or kept a bare `#`.
    ['AQBx-9_z#_#_', 'AQBx-9_z'],
    ['AQBx-9_z#', 'AQBx-9_z'],
    // Copied by hand, with the line's whitespace.
    ['  AQBx-9_z#_\n', 'AQBx-9_z'],
    // Nothing left (the newcomer's and the long fuzz run's examples): the route answers invalid_request.
    ['#_', ''],
    ['#', ''],
    [' #_', ''],
    ['  #_ ', ''],
    ['#_#_', ''],
    ['   ', ''],
  ])('%j → %j', (raw, code) => {
    expect(authorizationCodeFrom(raw)).toBe(code)
  })
})
