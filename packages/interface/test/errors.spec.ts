import { expect } from 'chai'
import { errorClasses, isErrorNamed, defineError, StreamResetError, TimeoutError } from '../src/index.js'

describe('errors', () => {
  it('every class sets the same static and instance name', () => {
    for (const [name, ErrorClass] of Object.entries(errorClasses)) {
      const err = new ErrorClass()
      expect(ErrorClass.name, name).to.equal(name)
      expect(err.name, name).to.equal(name)
      expect(err).to.be.an.instanceOf(Error)
      expect(err.message, name).to.be.a('string').and.not.equal('')
    }
  })

  it('keeps a custom message', () => {
    expect(new StreamResetError('stream 3 reset by 12D3Koo').message).to.equal('stream 3 reset by 12D3Koo')
  })

  it('isErrorNamed matches by name, also for a structurally equal error from another copy', () => {
    expect(isErrorNamed(new StreamResetError(), 'StreamResetError')).to.equal(true)
    expect(isErrorNamed(new TimeoutError(), 'StreamResetError')).to.equal(false)
    const foreign = new Error('from another copy of the package')
    foreign.name = 'StreamResetError'
    expect(isErrorNamed(foreign, 'StreamResetError')).to.equal(true)
    expect(isErrorNamed({ name: 'StreamResetError' }, 'StreamResetError')).to.equal(false)
    expect(isErrorNamed(undefined, 'StreamResetError')).to.equal(false)
  })

  it('defineError makes a named error class', () => {
    const WindowOverflowError = defineError('WindowOverflowError', 'Window overflow')
    const err = new WindowOverflowError()
    expect(err.name).to.equal('WindowOverflowError')
    expect(err.message).to.equal('Window overflow')
    expect(WindowOverflowError.name).to.equal('WindowOverflowError')
    expect(new WindowOverflowError('custom').message).to.equal('custom')
  })
})
