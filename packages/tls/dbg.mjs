import { generateKeyPair } from '@ts-libp2p/crypto'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { generateCertificate } from './dist/src/certificate.js'
import { rawTLSPeer } from './dist/test/fixtures/peers.js'
import { once } from 'node:events'
const k = await generateKeyPair('Ed25519')
const [o, i] = multiaddrConnectionPair()
const s = rawTLSPeer(i, { isServer: true, ...(await generateCertificate(k)) })
s.on('keylog', l => console.log('server keylog', l.toString().split(' ')[0]))
const c = rawTLSPeer(o, { isServer: false, ...(await generateCertificate(k)) })
c.on('keylog', l => console.log('client keylog', l.toString().split(' ')[0]))
await once(s, 'secure')
console.log(c.getCipher())
process.exit(0)
