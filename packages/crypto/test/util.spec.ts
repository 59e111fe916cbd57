import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { asUint8Array, bytesEqual, chunks, contiguous, copyBytes, fromBase64url, secretBytesEqual, toBase64url } from '../src/util.js'

describe('util', () => {
  it('compares bytes', () => {
    for (const equal of [bytesEqual, secretBytesEqual]) {
      expect(equal(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).to.equal(true)
      expect(equal(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).to.equal(false)
      expect(equal(Uint8Array.of(1, 2), Uint8Array.of(1))).to.equal(false)
      expect(equal(new Uint8Array(0), new Uint8Array(0))).to.equal(true)
    }
  })

  it('flattens lists and iterates their chunks', () => {
    const list = new Uint8ArrayList(Uint8Array.of(1), Uint8Array.of(2, 3))
    expect(contiguous(list)).to.deep.equal(Uint8Array.of(1, 2, 3))
    expect([...chunks(list)]).to.have.length(2)
    const bytes = Uint8Array.of(4)
    expect(contiguous(bytes)).to.equal(bytes)
    expect([...chunks(bytes)]).to.deep.equal([bytes])
  })

  it('copies and unwraps Buffers', () => {
    const buffer = Buffer.from([1, 2, 3])
    const view = asUint8Array(buffer)
    expect(view.constructor).to.equal(Uint8Array)
    expect(view.buffer).to.equal(buffer.buffer)
    const copy = copyBytes(buffer)
    expect(copy.constructor).to.equal(Uint8Array)
    expect(copy.buffer).to.not.equal(buffer.buffer)
    expect(copy).to.deep.equal(Uint8Array.of(1, 2, 3))
  })

  it('encodes unpadded base64url', () => {
    expect(toBase64url(Uint8Array.of(0xfb, 0xff))).to.equal('-_8')
    expect(fromBase64url('-_8')).to.deep.equal(Uint8Array.of(0xfb, 0xff))
  })
})
