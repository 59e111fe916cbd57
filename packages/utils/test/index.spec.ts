import { expect } from 'chai'
import * as utils from '../src/index.js'

describe('index', () => {
  it('exports the base classes and helpers', () => {
    for (const name of ['AbstractMessageStream', 'AbstractStream', 'AbstractMultiaddrConnection', 'byteStream', 'lpStream', 'raceSignal', 'raceEvent', 'anySignal', 'pDefer', 'logger', 'defaultLogger', 'prefixLogger', 'UnexpectedEOFError', 'InvalidDataLengthError']) {
      expect(utils).to.have.property(name).that.is.a('function')
    }
  })
})
