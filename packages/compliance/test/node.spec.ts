import { expect } from 'chai'
import { ECHO_PROTOCOL } from '../src/constants.js'
import { cell } from '../src/matrix.js'
import { createMatrixNode } from '../src/node.js'

describe('matrix node', function () {
  this.timeout(20_000)

  it('listens on the cell transport with ping, identify and echo, and the cell stack', async () => {
    const node = await createMatrixNode(cell('tcp', 'tls', 'mplex'))
    try {
      expect(node.status).to.equal('started')
      const addresses = node.getMultiaddrs().map(String)
      expect(addresses).to.have.length(1)
      expect(addresses[0]).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/[1-9]\d*\/p2p\//)
      expect(node.getProtocols()).to.include.members([ECHO_PROTOCOL, '/ipfs/ping/1.0.0', '/ipfs/id/1.0.0'])
      expect(node.services.ping).to.have.property('ping').that.is.a('function')
      expect(node.services.identify).to.have.property('identify').that.is.a('function')
    } finally {
      await node.stop()
    }
  })
})
