import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { noise } from '@ts-libp2p/noise'
import { yamux } from '@ts-libp2p/yamux'
import { expect } from 'chai'
import { prometheusMetrics } from '../src/index.js'
import type { PrometheusMetrics } from '../src/index.js'

function sample (text: string, line: string): number | undefined {
  const found = text.split('\n').find(l => l.startsWith(line + ' '))
  return found == null ? undefined : Number(found.slice(line.length + 1))
}

describe('metrics in a node', () => {
  it('counts connections, dials, upgrades and bytes by protocol', async () => {
    const stack = (listen: string[]): any => ({ addresses: { listen }, transports: [memory()], connectionEncrypters: [noise()], streamMuxers: [yamux()], metrics: prometheusMetrics() })
    const a = await createLibp2p(stack([]))
    const b = await createLibp2p(stack([`/memory/metrics-node-${process.pid}`]))
    try {
      await b.handle('/echo/1.0.0', async (stream) => {
        for await (const chunk of stream) stream.send(chunk)
        await stream.close()
      })
      const stream = await a.dialProtocol(b.getMultiaddrs()[0], '/echo/1.0.0')
      stream.send(new Uint8Array(100_000))
      await stream.close()
      let echoed = 0
      for await (const chunk of stream) echoed += chunk.byteLength
      expect(echoed).to.equal(100_000)
      const text = await (a.metrics as PrometheusMetrics).scrape()
      expect(sample(text, 'libp2p_connection_manager_connections{direction="outbound"}')).to.equal(1)
      expect(sample(text, 'libp2p_dialer_dials_total{outcome="success"}')).to.equal(1)
      expect(sample(text, 'libp2p_upgrader_upgrades_total{outcome="outbound_success"}')).to.equal(1)
      expect(sample(text, 'libp2p_upgrader_upgrade_seconds_count{direction="outbound"}')).to.equal(1)
      // a stream's bytes include its multistream-select negotiation (a few dozen bytes)
      expect(sample(text, 'libp2p_protocol_data_transfer_bytes_total{protocol="/echo/1.0.0",direction="sent"}')).to.be.within(100_000, 100_100)
      expect(sample(text, 'libp2p_protocol_data_transfer_bytes_total{protocol="/echo/1.0.0",direction="received"}')).to.be.within(100_000, 100_100)
      // the raw connection carried the stream plus handshake and framing bytes
      expect(sample(text, 'libp2p_data_transfer_bytes_total{direction="sent"}')).to.be.greaterThan(100_000)
    } finally {
      await a.stop()
      await b.stop()
    }
  })
})
