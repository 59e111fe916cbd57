import { generateKeyPair } from '@ts-libp2p/crypto'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import * as index from '../src/index.js'
import type { ConnectionEncrypter } from '@ts-libp2p/interface'

describe('index', () => {
  it('exports a factory that builds a /noise encrypter from components', async () => {
    const encrypter = index.noise()({ privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger() }) satisfies ConnectionEncrypter
    expect(encrypter.protocol).to.equal('/noise')
    expect(index.PROTOCOL).to.equal('/noise')
  })

  it('exports the error classes', () => {
    expect(index.DecryptionError.name).to.equal('DecryptionError')
    expect(index.NonceExhaustedError.name).to.equal('NonceExhaustedError')
    expect(index.TruncatedFrameError.name).to.equal('TruncatedFrameError')
  })
})
