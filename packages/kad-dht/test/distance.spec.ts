import { expect } from 'chai'
import { commonPrefixLength, compareCloser, compareDistance, kadKey, randomPeerIdBytesInBucket, xor } from '../src/distance.js'

describe('distance', () => {
  it('kad keys are sha256 of the key bytes', () => {
    // sha256('') = e3b0c442...
    expect(Buffer.from(kadKey(new Uint8Array(0))).toString('hex').slice(0, 8)).to.equal('e3b0c442')
  })

  it('xor and distance order', () => {
    const a = Uint8Array.of(0b1010, 0)
    const b = Uint8Array.of(0b0110, 1)
    expect([...xor(a, b)]).to.deep.equal([0b1100, 1])
    expect(compareDistance(Uint8Array.of(0, 1), Uint8Array.of(0, 2))).to.be.lessThan(0)
    expect(compareCloser(Uint8Array.of(0, 0), Uint8Array.of(0, 1), Uint8Array.of(1, 0))).to.be.lessThan(0)
    expect(compareCloser(Uint8Array.of(0, 0), Uint8Array.of(3, 0), Uint8Array.of(3, 0))).to.equal(0)
  })

  it('common prefix length counts equal leading bits', () => {
    const zero = new Uint8Array(32)
    expect(commonPrefixLength(zero, zero)).to.equal(256)
    const one = new Uint8Array(32); one[0] = 0x80
    expect(commonPrefixLength(zero, one)).to.equal(0)
    const deep = new Uint8Array(32); deep[2] = 0x01
    expect(commonPrefixLength(zero, deep)).to.equal(23)
  })

  it('random peer ids land in the asked bucket', () => {
    const self = kadKey(Uint8Array.of(1, 2, 3))
    for (const cpl of [0, 1, 5, 9]) {
      const id = randomPeerIdBytesInBucket(self, cpl, 1 << 16)
      expect(id).to.not.equal(undefined)
      expect(id?.subarray(0, 2)).to.deep.equal(Uint8Array.of(0x12, 0x20))
      expect(commonPrefixLength(kadKey(id as Uint8Array), self)).to.equal(cpl)
    }
    // a bucket too deep to hit by chance in a few tries
    expect(randomPeerIdBytesInBucket(self, 60, 4)).to.equal(undefined)
  })
})
