import { streamPair, multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { MAX_PROTOCOL_LABELS, PrometheusMetrics, prometheusMetrics } from '../src/index.js'

const metrics = (): PrometheusMetrics => prometheusMetrics()({ logger: defaultLogger() })

/** The value of one sample line (`name{labels} value`) of a scrape, or undefined. */
function sample (text: string, line: string): number | undefined {
  const found = text.split('\n').find(l => l.startsWith(line + ' '))
  return found == null ? undefined : Number(found.slice(line.length + 1))
}

describe('prometheus metrics', () => {
  it('registers gauges, counters, histograms and summaries, plain and grouped', async () => {
    const m = metrics()
    const gauge = m.registerMetric('test_gauge')
    gauge.update(5); gauge.increment(2); gauge.decrement()
    const counter = m.registerCounter('test_counter_total')
    counter.increment(); counter.increment(3)
    const group = m.registerCounterGroup('test_events_total', { label: 'kind' })
    group.increment({ a: true, b: 4 })
    const gaugeGroup = m.registerMetricGroup('test_sizes', { label: 'name' })
    gaugeGroup.update({ x: 7 })
    const histogram = m.registerHistogram('test_seconds', { buckets: [1, 10] })
    histogram.observe(0.5); histogram.observe(5)
    const summary = m.registerSummaryGroup('test_summary', { label: 'op' })
    summary.observe({ read: 3 })
    const text = await m.scrape()
    expect(sample(text, 'test_gauge')).to.equal(6)
    expect(sample(text, 'test_counter_total')).to.equal(4)
    expect(sample(text, 'test_events_total{kind="a"}')).to.equal(1)
    expect(sample(text, 'test_events_total{kind="b"}')).to.equal(4)
    expect(sample(text, 'test_sizes{name="x"}')).to.equal(7)
    expect(sample(text, 'test_seconds_bucket{le="1"}')).to.equal(1)
    expect(sample(text, 'test_seconds_count')).to.equal(2)
    expect(sample(text, 'test_summary_count{op="read"}')).to.equal(1)
  })

  it('computes calculated metrics when scraped', async () => {
    const m = metrics()
    let value = 1
    m.registerMetric('test_calculated', { calculate: () => value })
    m.registerMetricGroup('test_calculated_group', { label: 'k', calculate: async () => ({ a: value * 2 }) })
    m.registerCounter('test_calculated_total', { calculate: () => value * 10 })
    expect(sample(await m.scrape(), 'test_calculated')).to.equal(1)
    value = 3
    const text = await m.scrape()
    expect(sample(text, 'test_calculated')).to.equal(3)
    expect(sample(text, 'test_calculated_group{k="a"}')).to.equal(6)
    expect(sample(text, 'test_calculated_total')).to.equal(30)
  })

  it('timers record elapsed seconds', async () => {
    const m = metrics()
    const histogram = m.registerHistogram('test_timed_seconds')
    const stop = histogram.timer()
    await new Promise((resolve) => setTimeout(resolve, 20))
    stop()
    const text = await m.scrape()
    expect(sample(text, 'test_timed_seconds_count')).to.equal(1)
    expect(sample(text, 'test_timed_seconds_sum')).to.be.greaterThan(0.01)
  })

  it('counts the bytes of tracked connections and protocol streams, live and after close', async () => {
    const m = metrics()
    const [a, b] = multiaddrConnectionPair()
    m.trackMultiaddrConnection(a)
    const received = new Promise((resolve) => { b.addEventListener('message', resolve, { once: true }) })
    a.send(new Uint8Array(1000))
    await received
    expect(sample(await m.scrape(), 'libp2p_data_transfer_bytes_total{direction="sent"}')).to.equal(1000)
    const [s1, s2] = streamPair({ protocol: '/echo/1.0.0' })
    m.trackProtocolStream(s2)
    const got = new Promise((resolve) => { s2.addEventListener('message', resolve, { once: true }) })
    s1.send(new Uint8Array(300))
    await got
    s1.abort(new Error('done'))
    await new Promise((resolve) => setTimeout(resolve, 10))
    const text = await m.scrape()
    expect(sample(text, 'libp2p_protocol_data_transfer_bytes_total{protocol="/echo/1.0.0",direction="received"}')).to.equal(300)
    a.abort(new Error('done'))
    b.abort(new Error('done'))
  })

  it('bounds the protocol label set', async () => {
    const m = metrics()
    for (let i = 0; i < MAX_PROTOCOL_LABELS + 5; i++) {
      const [s1, s2] = streamPair({ protocol: `/p/${i}` })
      m.trackProtocolStream(s2)
      const got = new Promise((resolve) => { s2.addEventListener('message', resolve, { once: true }) })
      s1.send(new Uint8Array(1))
      await got
      s1.abort(new Error('done'))
      s2.abort(new Error('done'))
    }
    const text = await m.scrape()
    const labels = new Set(text.split('\n').filter(l => l.startsWith('libp2p_protocol_data_transfer_bytes_total{')).map(l => /protocol="([^"]+)"/.exec(l)?.[1]))
    expect(labels.size).to.equal(MAX_PROTOCOL_LABELS + 1)
    expect(sample(text, 'libp2p_protocol_data_transfer_bytes_total{protocol="other",direction="received"}')).to.equal(5)
  })

  it('keeps each node\'s metrics in its own registry', async () => {
    const m1 = metrics()
    const m2 = metrics()
    m1.registerCounter('test_same_name_total').increment()
    m2.registerCounter('test_same_name_total').increment(2)
    expect(sample(await m1.scrape(), 'test_same_name_total')).to.equal(1)
    expect(sample(await m2.scrape(), 'test_same_name_total')).to.equal(2)
  })
})
