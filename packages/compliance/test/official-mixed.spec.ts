/**
 * Mixed stacks: a node of ours whose encrypter or muxer is the OFFICIAL js
 * module, against a node entirely of ours, through the full cell (both
 * directions: dial, identify, echo of 16 MiB by sha256, ping, hang-up).
 * Runs with the Promise.withResolvers polyfill (official code needs Node 22).
 */
import { noise as officialNoise } from '@chainsafe/libp2p-noise'
import { yamux as officialYamux } from '@chainsafe/libp2p-yamux'
import { expect } from 'chai'
import { runCell } from '../src/cell.js'
import { ECHO_BYTES } from '../src/constants.js'
import { cell } from '../src/matrix.js'
import type { MatrixNodeOverrides } from '../src/node.js'

/** Counts how often node construction asked for the official module, so the test knows it was used. */
let officialBuilt = 0
const counted = <T>(factory: (components: any) => T) => (components: any): T => { officialBuilt++; return factory(components) }

const mixes: Array<{ name: string, transport: string, overrides: () => MatrixNodeOverrides }> = [
  { name: 'official @chainsafe/libp2p-noise + our yamux', transport: 'tcp', overrides: () => ({ connectionEncrypter: counted(officialNoise()) as any }) },
  { name: 'our noise + official @chainsafe/libp2p-yamux', transport: 'tcp', overrides: () => ({ streamMuxer: counted(officialYamux()) as any }) },
  { name: 'official @chainsafe/libp2p-noise + our yamux', transport: 'websockets', overrides: () => ({ connectionEncrypter: counted(officialNoise()) as any }) },
  { name: 'our noise + official @chainsafe/libp2p-yamux', transport: 'memory', overrides: () => ({ streamMuxer: counted(officialYamux()) as any }) }
]

describe('mixed stacks: official js modules in our node, against a node of ours', function () {
  this.timeout(60_000)

  for (const mix of mixes) {
    const c = cell(mix.transport, 'noise', 'yamux')
    it(`${mix.transport}: ${mix.name} (A) <-> ours (B)`, async () => {
      officialBuilt = 0
      const result = await runCell(c, { overridesA: mix.overrides() })
      expect(officialBuilt).to.equal(1)
      expect(result.directions.map(d => d.direction)).to.deep.equal(['A->B', 'B->A'])
      for (const d of result.directions) {
        expect(d.echoBytes).to.equal(ECHO_BYTES)
        expect(d.encryption).to.equal('/noise')
        expect(d.multiplexer).to.equal('/yamux/1.0.0')
      }
    })
  }
})
