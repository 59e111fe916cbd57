import { InvalidPublicKeyError } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { DerReader, TAG_INTEGER, bigIntToBytes, bitLength, bytesToBigInt, encodeBitString, encodeElement, encodeSequence, encodeUnsignedInteger } from '../src/der.js'
import { expectErrorNamed, fromHex, toHex } from './fixtures/expect-error.js'

function reader (hex: string): DerReader {
  return new DerReader(fromHex(hex), InvalidPublicKeyError, 'test structure')
}

describe('der', () => {
  it('encodes integers minimally and reads them back', () => {
    const cases: Array<[bigint, string]> = [
      [0n, '020100'],
      [127n, '02017f'],
      [128n, '02020080'],
      [256n, '02020100'],
      [65537n, '0203010001']
    ]
    for (const [value, hex] of cases) {
      expect(toHex(encodeUnsignedInteger(value))).to.equal(hex)
      expect(reader(hex).unsignedInteger()).to.equal(value)
    }
  })

  it('uses long-form lengths only when needed', () => {
    expect(toHex(encodeElement(0x04, new Uint8Array(127))).slice(0, 4)).to.equal('047f')
    expect(toHex(encodeElement(0x04, new Uint8Array(128))).slice(0, 6)).to.equal('048180')
    expect(toHex(encodeElement(0x04, new Uint8Array(256))).slice(0, 8)).to.equal('04820100')
    const big = encodeElement(0x04, new Uint8Array(300))
    expect(reader(toHex(big)).octetString()).to.have.length(300)
  })

  it('reads nested sequences and bit strings', () => {
    const bytes = encodeSequence(encodeUnsignedInteger(5n), encodeBitString(Uint8Array.of(1, 2)))
    const outer = new DerReader(bytes, InvalidPublicKeyError, 'x')
    const seq = outer.sequence()
    outer.end()
    expect(seq.unsignedInteger()).to.equal(5n)
    expect(seq.bitString()).to.deep.equal(Uint8Array.of(1, 2))
    expect(seq.done).to.equal(true)
  })

  const malformed: Array<[string, string, RegExp]> = [
    ['an indefinite length', '3080020100', /indefinite/],
    ['a non-minimal long length', '04810100', /minimally/],
    ['a long length with a leading zero', '0482008000', /minimally/],
    ['a length too large for a key', '04840000000100', /does not fit/],
    ['a truncated header', '04', /truncated/],
    ['a truncated length', '0482', /truncated/],
    ['contents shorter than the length', '040301', /claims 3 bytes/],
    ['a multi-byte tag', '1f0100', /multi-byte/]
  ]
  for (const [what, hex, message] of malformed) {
    it(`refuses ${what} with the caller's error class`, () => {
      const err = expectErrorNamed(() => reader(hex).readAny(), 'InvalidPublicKeyError')
      expect(err.message).to.match(message).and.to.match(/test structure/)
    })
  }

  it('refuses trailing bytes', () => {
    const r = reader('0201000000')
    r.unsignedInteger()
    expectErrorNamed(() => { r.end() }, 'InvalidPublicKeyError')
  })

  it('refuses negative, empty and padded integers', () => {
    expectErrorNamed(() => reader('020180').unsignedInteger(), 'InvalidPublicKeyError')
    expectErrorNamed(() => reader('0200').unsignedInteger(), 'InvalidPublicKeyError')
    expectErrorNamed(() => reader('02020001').unsignedInteger(), 'InvalidPublicKeyError')
  })

  it('refuses an unexpected tag, bit strings with unused bits and NULL with contents', () => {
    expectErrorNamed(() => reader('0401ff').read(TAG_INTEGER), 'InvalidPublicKeyError')
    expectErrorNamed(() => reader('030201ff').bitString(), 'InvalidPublicKeyError')
    expectErrorNamed(() => reader('0300').bitString(), 'InvalidPublicKeyError')
    expectErrorNamed(() => { reader('050100').null() }, 'InvalidPublicKeyError')
    expectErrorNamed(() => { reader('020102').version(1) }, 'InvalidPublicKeyError')
  })

  it('converts between bytes and bigints', () => {
    expect(bytesToBigInt(Uint8Array.of(1, 0))).to.equal(256n)
    expect(bigIntToBytes(256n)).to.deep.equal(Uint8Array.of(1, 0))
    expect(bigIntToBytes(0n)).to.deep.equal(Uint8Array.of(0))
    expect(bigIntToBytes(1n, 4)).to.deep.equal(Uint8Array.of(0, 0, 0, 1))
    expect(() => bigIntToBytes(65536n, 2)).to.throw(RangeError)
    expect(() => bigIntToBytes(-1n)).to.throw(RangeError)
    expect(bitLength(0n)).to.equal(0)
    expect(bitLength(255n)).to.equal(8)
    expect(bitLength(256n)).to.equal(9)
  })
})
