import { Counter as PromCounter, Gauge, Histogram as PromHistogram, Registry, Summary as PromSummary, collectDefaultMetrics } from 'prom-client'
import { DEFAULT_BUCKETS, MAX_PROTOCOL_LABELS, OTHER_PROTOCOL_LABEL } from './constants.js'
import type { CalculatedHistogramOptions, CalculatedMetricOptions, CalculatedSummaryOptions, Counter, CounterGroup, Histogram, HistogramGroup, HistogramOptions, Logger, Metric, MetricGroup, MetricOptions, Metrics, MultiaddrConnection, Stream, StopTimer, Summary, SummaryGroup, SummaryOptions } from '@ts-libp2p/interface'

/** Options of the metrics component. */
export interface PrometheusMetricsInit {
  /** The registry to register in; a fresh one when absent (not prom-client's global one). */
  registry?: Registry
  /** Also collect Node's process metrics (event loop lag, heap, GC...). Default false. */
  collectDefaultMetrics?: boolean
}

/** What the metrics component needs from the node. */
export interface PrometheusMetricsComponents {
  logger: { forComponent(name: string): Logger }
}

/** Something that counts its bytes (our message streams do). */
interface ByteCounting { bytesReceived?: number, bytesSent?: number }

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9

function timerOf (observe: (value: number) => void): StopTimer {
  const start = process.hrtime.bigint()
  return () => { observe(seconds(start)) }
}

/** prom-client's summary options, leaving out the ones not given (it does not accept undefined). */
function summaryOptions (options: SummaryOptions): Partial<SummaryOptions> {
  const out: Record<string, unknown> = {}
  for (const key of ['percentiles', 'maxAgeSeconds', 'ageBuckets', 'pruneAgedBuckets', 'compressCount'] as const) {
    if (options[key] !== undefined) out[key] = options[key]
  }
  return out
}

function values (v: number | true): number {
  return v === true ? 1 : v
}

/** Calls `apply` with the labels `{ [label]: key }` and the value of every key of `vals`. */
function eachLabel<V> (label: string, vals: Record<string, V>, apply: (labels: Record<string, string>, value: V) => void): void {
  for (const [key, value] of Object.entries(vals)) apply({ [label]: key }, value)
}

/**
 * The prom-client `collect` option of a labelled metric whose values are computed when scraped (none when not
 * calculated); `reset` clears the previous values first (gauges and counters), `apply` records one labelled value.
 */
function collectGroup<M extends { reset: () => void }> (label: string, calculate: (() => Record<string, number> | Promise<Record<string, number>>) | undefined, reset: boolean, apply: (metric: M, labels: Record<string, string>, value: number) => void): { collect?: (this: M) => Promise<void> } {
  if (calculate == null) return {}
  return {
    async collect (this: M) {
      const computed = await calculate()
      if (reset) this.reset()
      eachLabel(label, computed, (labels, value) => { apply(this, labels, value) })
    }
  }
}

/**
 * The `Metrics` role backed by prom-client. Every package registers its
 * metrics through it (names like `libp2p_<package>_<thing>_total`); raw
 * connections and protocol streams are tracked for bytes in and out, by
 * direction and by protocol. Tracing is not collected: `traceFunction`
 * returns the function as given (an OpenTelemetry backend is a separate
 * concern).
 */
export class PrometheusMetrics implements Metrics {
  readonly registry: Registry
  readonly #log: Logger
  readonly #connectionBytes: PromCounter<'direction'>
  readonly #protocolBytes: PromCounter<'protocol' | 'direction'>
  readonly #protocolLabels = new Set<string>()
  readonly #counted = new WeakMap<object, { in: number, out: number }>()
  readonly #liveConnections = new Set<MultiaddrConnection & ByteCounting>()
  readonly #liveStreams = new Set<Stream & ByteCounting>()

  constructor (components: PrometheusMetricsComponents, init: PrometheusMetricsInit = {}) {
    this.registry = init.registry ?? new Registry()
    this.#log = components.logger.forComponent('prometheus-metrics')
    if (init.collectDefaultMetrics === true) collectDefaultMetrics({ register: this.registry })
    // bytes of live objects are added when scraped, of closed ones when they close
    const self = this
    this.#connectionBytes = new PromCounter({
      name: 'libp2p_data_transfer_bytes_total',
      help: 'Bytes sent and received over raw connections',
      labelNames: ['direction'],
      registers: [this.registry],
      collect () { for (const c of self.#liveConnections) self.#addConnectionBytes(c) }
    })
    this.#protocolBytes = new PromCounter({
      name: 'libp2p_protocol_data_transfer_bytes_total',
      help: 'Bytes sent and received over protocol streams, by protocol',
      labelNames: ['protocol', 'direction'],
      registers: [this.registry],
      collect () { for (const s of self.#liveStreams) self.#addStreamBytes(s) }
    })
  }

  trackMultiaddrConnection (maConn: MultiaddrConnection): void {
    const counting = maConn as MultiaddrConnection & ByteCounting
    this.#liveConnections.add(counting)
    maConn.addEventListener('close', () => {
      this.#addConnectionBytes(counting)
      this.#liveConnections.delete(counting)
    }, { once: true })
  }

  trackProtocolStream (stream: Stream): void {
    const counting = stream as Stream & ByteCounting
    this.#liveStreams.add(counting)
    stream.addEventListener('close', () => {
      this.#addStreamBytes(counting)
      this.#liveStreams.delete(counting)
    }, { once: true })
  }

  /** The bytes a counting object reports that were not added yet. */
  #delta (obj: object & ByteCounting): { in: number, out: number } {
    const seen = this.#counted.get(obj) ?? { in: 0, out: 0 }
    const now = { in: obj.bytesReceived ?? 0, out: obj.bytesSent ?? 0 }
    this.#counted.set(obj, now)
    return { in: Math.max(0, now.in - seen.in), out: Math.max(0, now.out - seen.out) }
  }

  #addConnectionBytes (maConn: MultiaddrConnection & ByteCounting): void {
    const d = this.#delta(maConn)
    if (d.in > 0) this.#connectionBytes.inc({ direction: 'received' }, d.in)
    if (d.out > 0) this.#connectionBytes.inc({ direction: 'sent' }, d.out)
  }

  #addStreamBytes (stream: Stream & ByteCounting): void {
    const protocol = this.#protocolLabel(stream.protocol === '' ? 'unnegotiated' : stream.protocol)
    const d = this.#delta(stream)
    if (d.in > 0) this.#protocolBytes.inc({ protocol, direction: 'received' }, d.in)
    if (d.out > 0) this.#protocolBytes.inc({ protocol, direction: 'sent' }, d.out)
  }

  #protocolLabel (protocol: string): string {
    if (this.#protocolLabels.has(protocol)) return protocol
    if (this.#protocolLabels.size >= MAX_PROTOCOL_LABELS) return OTHER_PROTOCOL_LABEL
    this.#protocolLabels.add(protocol)
    return protocol
  }

  registerMetric (name: string, options?: MetricOptions): Metric
  registerMetric (name: string, options: CalculatedMetricOptions): void
  registerMetric (name: string, options: MetricOptions & Partial<CalculatedMetricOptions> = {}): Metric | undefined {
    const calculate = options.calculate
    const gauge = new Gauge({
      name,
      help: options.help ?? name,
      registers: [this.registry],
      ...(calculate != null ? { async collect () { this.set(await calculate()) } } : {})
    })
    if (calculate != null) return undefined
    return {
      update: (value) => { gauge.set(value) },
      increment: (value = 1) => { gauge.inc(value) },
      decrement: (value = 1) => { gauge.dec(value) },
      reset: () => { gauge.reset() },
      timer: () => timerOf((v) => { gauge.set(v) })
    }
  }

  registerMetricGroup (name: string, options?: MetricOptions): MetricGroup
  registerMetricGroup (name: string, options: CalculatedMetricOptions<Record<string, number>>): void
  registerMetricGroup (name: string, options: MetricOptions & Partial<CalculatedMetricOptions<Record<string, number>>> = {}): MetricGroup | undefined {
    const label = options.label ?? 'key'
    const calculate = options.calculate
    const gauge = new Gauge({
      name,
      help: options.help ?? name,
      labelNames: [label],
      registers: [this.registry],
      ...collectGroup<Gauge>(label, calculate, true, (metric, labels, value) => { metric.set(labels, value) })
    })
    if (calculate != null) return undefined
    return {
      update: (vals) => { eachLabel(label, vals, (labels, v) => { gauge.set(labels, v as number) }) },
      increment: (vals) => { eachLabel(label, vals, (labels, v) => { gauge.inc(labels, values(v as number | true)) }) },
      decrement: (vals) => { eachLabel(label, vals, (labels, v) => { gauge.dec(labels, values(v as number | true)) }) },
      reset: () => { gauge.reset() },
      timer: (key) => timerOf((v) => { gauge.set({ [label]: key }, v) })
    }
  }

  registerCounter (name: string, options?: MetricOptions): Counter
  registerCounter (name: string, options: CalculatedMetricOptions): void
  registerCounter (name: string, options: MetricOptions & Partial<CalculatedMetricOptions> = {}): Counter | undefined {
    const calculate = options.calculate
    const counter = new PromCounter({
      name,
      help: options.help ?? name,
      registers: [this.registry],
      ...(calculate != null ? { async collect () { this.reset(); this.inc(await calculate()) } } : {})
    })
    if (calculate != null) return undefined
    return {
      increment: (value = 1) => { counter.inc(value) },
      reset: () => { counter.reset() }
    }
  }

  registerCounterGroup (name: string, options?: MetricOptions): CounterGroup
  registerCounterGroup (name: string, options: CalculatedMetricOptions<Record<string, number>>): void
  registerCounterGroup (name: string, options: MetricOptions & Partial<CalculatedMetricOptions<Record<string, number>>> = {}): CounterGroup | undefined {
    const label = options.label ?? 'key'
    const calculate = options.calculate
    const counter = new PromCounter({
      name,
      help: options.help ?? name,
      labelNames: [label],
      registers: [this.registry],
      ...collectGroup<PromCounter>(label, calculate, true, (metric, labels, value) => { metric.inc(labels, value) })
    })
    if (calculate != null) return undefined
    return {
      increment: (vals) => { eachLabel(label, vals, (labels, v) => { counter.inc(labels, values(v as number | true)) }) },
      reset: () => { counter.reset() }
    }
  }

  registerHistogram (name: string, options?: HistogramOptions): Histogram
  registerHistogram (name: string, options: CalculatedHistogramOptions): void
  registerHistogram (name: string, options: HistogramOptions & Partial<CalculatedHistogramOptions> = {}): Histogram | undefined {
    const calculate = options.calculate
    const histogram = new PromHistogram({
      name,
      help: options.help ?? name,
      buckets: options.buckets ?? DEFAULT_BUCKETS,
      registers: [this.registry],
      ...(calculate != null ? { async collect () { this.observe(await calculate()) } } : {})
    })
    if (calculate != null) return undefined
    return {
      observe: (value) => { histogram.observe(value) },
      reset: () => { histogram.reset() },
      timer: () => timerOf((v) => { histogram.observe(v) })
    }
  }

  registerHistogramGroup (name: string, options?: HistogramOptions): HistogramGroup
  registerHistogramGroup (name: string, options: CalculatedHistogramOptions<Record<string, number>>): void
  registerHistogramGroup (name: string, options: HistogramOptions & Partial<CalculatedHistogramOptions<Record<string, number>>> = {}): HistogramGroup | undefined {
    const label = options.label ?? 'key'
    const calculate = options.calculate
    const histogram = new PromHistogram({
      name,
      help: options.help ?? name,
      labelNames: [label],
      buckets: options.buckets ?? DEFAULT_BUCKETS,
      registers: [this.registry],
      ...collectGroup<PromHistogram>(label, calculate, false, (metric, labels, value) => { metric.observe(labels, value) })
    })
    if (calculate != null) return undefined
    return {
      observe: (vals) => { eachLabel(label, vals, (labels, v) => { histogram.observe(labels, v as number) }) },
      reset: () => { histogram.reset() },
      timer: (key) => timerOf((v) => { histogram.observe({ [label]: key }, v) })
    }
  }

  registerSummary (name: string, options?: SummaryOptions): Summary
  registerSummary (name: string, options: CalculatedSummaryOptions): void
  registerSummary (name: string, options: SummaryOptions & Partial<CalculatedSummaryOptions> = {}): Summary | undefined {
    const calculate = options.calculate
    const summary = new PromSummary({
      name,
      help: options.help ?? name,
      ...summaryOptions(options),
      registers: [this.registry],
      ...(calculate != null ? { async collect () { this.observe(await calculate()) } } : {})
    })
    if (calculate != null) return undefined
    return {
      observe: (value) => { summary.observe(value) },
      reset: () => { summary.reset() },
      timer: () => timerOf((v) => { summary.observe(v) })
    }
  }

  registerSummaryGroup (name: string, options?: SummaryOptions): SummaryGroup
  registerSummaryGroup (name: string, options: CalculatedSummaryOptions<Record<string, number>>): void
  registerSummaryGroup (name: string, options: SummaryOptions & Partial<CalculatedSummaryOptions<Record<string, number>>> = {}): SummaryGroup | undefined {
    const label = options.label ?? 'key'
    const calculate = options.calculate
    const summary = new PromSummary({
      name,
      help: options.help ?? name,
      labelNames: [label],
      ...summaryOptions(options),
      registers: [this.registry],
      ...collectGroup<PromSummary>(label, calculate, false, (metric, labels, value) => { metric.observe(labels, value) })
    })
    if (calculate != null) return undefined
    return {
      observe: (vals) => { eachLabel(label, vals, (labels, v) => { summary.observe(labels, v as number) }) },
      reset: () => { summary.reset() },
      timer: (key) => timerOf((v) => { summary.observe({ [label]: key }, v) })
    }
  }

  traceFunction<F extends (...args: any[]) => any> (_name: string, fn: F): F {
    return fn
  }

  createTrace (): any {
    return undefined
  }

  /** The registry's metrics in the Prometheus text format. */
  async scrape (): Promise<string> {
    try {
      return await this.registry.metrics()
    } catch (err: any) {
      this.#log.error('collecting metrics failed - %e', err)
      throw err
    }
  }
}
