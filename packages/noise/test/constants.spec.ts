import { expect } from 'chai'
import * as c from '../src/constants.js'

describe('constants', () => {
  it('matches the spec values', () => {
    expect(c.PROTOCOL).to.equal('/noise')
    expect(c.PROTOCOL_NAME).to.equal('Noise_XX_25519_ChaChaPoly_SHA256')
    expect(new TextEncoder().encode(c.PROTOCOL_NAME).byteLength).to.equal(c.HASH_LENGTH)
    expect(c.MAX_FRAME_LENGTH).to.equal(65535)
    expect(c.MAX_PLAINTEXT_LENGTH + c.TAG_LENGTH).to.equal(65535)
    expect(c.SIGNATURE_PREFIX).to.equal('noise-libp2p-static-key:')
  })

  it('bounds the handshake and the write batching', () => {
    expect(c.DEFAULT_HANDSHAKE_TIMEOUT).to.be.greaterThan(0)
    expect(c.WRITE_HIGH_WATER_MARK).to.be.lessThan(4 * 1024 * 1024)
    expect(c.MAX_EXTENSION_ENTRIES).to.be.greaterThan(0)
  })
})
