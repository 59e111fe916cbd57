import { expect } from 'chai'
import * as testUtils from '../src/index.js'

describe('index', () => {
  it('exports the pairs, echo and stub components', () => {
    for (const name of ['streamPair', 'messageStreamPair', 'multiaddrConnectionPair', 'echo', 'captureLogger', 'stubEvents']) {
      expect(testUtils).to.have.property(name).that.is.a('function')
    }
  })
})
