import http from 'node:http'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { metricsHandler, prometheusMetrics } from '../src/index.js'
import type { AddressInfo } from 'node:net'

describe('metrics handler', () => {
  it('serves the registry on GET /metrics (127.0.0.1) and 404 elsewhere', async () => {
    const metrics = prometheusMetrics()({ logger: defaultLogger() })
    metrics.registerCounter('test_served_total').increment(7)
    const server = http.createServer(metricsHandler(metrics)).listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const ok = await fetch(`${base}/metrics`)
      expect(ok.status).to.equal(200)
      expect(ok.headers.get('content-type')).to.include('text/plain')
      expect(await ok.text()).to.include('test_served_total 7')
      expect((await fetch(`${base}/other`)).status).to.equal(404)
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).to.equal(404)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
