import { generateKeyPair } from '@ts-libp2p/crypto'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { PROTOCOL, plaintext } from '../src/index.js'
import type { ConnectionEncrypter } from '@ts-libp2p/interface'

describe('index', () => {
  it('exports a factory that builds a /plaintext/2.0.0 encrypter from components', async () => {
    const encrypter = plaintext()({ privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger() }) satisfies ConnectionEncrypter
    expect(encrypter.protocol).to.equal('/plaintext/2.0.0')
    expect(PROTOCOL).to.equal('/plaintext/2.0.0')
    expect(typeof encrypter.secureInbound).to.equal('function')
    expect(typeof encrypter.secureOutbound).to.equal('function')
  })
})
