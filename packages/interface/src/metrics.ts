import type { MultiaddrConnection } from './multiaddr-connection.js'
import type { Stream } from './stream.js'

/** Options for registering a metric. */
export interface MetricOptions {
  /** The label name for a group. */
  label?: string
  /** Help text shown by the exporter. */
  help?: string
}

/** Computes a metric's value when it is scraped. */
export type CalculateMetric<T = number> = (() => T) | (() => Promise<T>)

/** A metric whose value is computed when scraped. */
export interface CalculatedMetricOptions<T = number> extends MetricOptions {
  calculate: CalculateMetric<T>
}

/** Stops a timer and records the elapsed time. */
export interface StopTimer { (): void }

/** A gauge. */
export interface Metric {
  update(value: number): void
  increment(value?: number): void
  decrement(value?: number): void
  reset(): void
  timer(): StopTimer
}

/** A gauge with labels. */
export interface MetricGroup<T extends string = any> {
  update(values: Partial<Record<T, number>>): void
  increment(values: Partial<Record<T, number | true>>): void
  decrement(values: Partial<Record<T, number | true>>): void
  reset(): void
  timer(key: string): StopTimer
}

/** A counter. */
export interface Counter {
  increment(value?: number): void
  reset(): void
}

/** A counter with labels. */
export interface CounterGroup<T extends string = any> {
  increment(values: Partial<Record<T, number | true>>): void
  reset(): void
}

/** Options for a histogram. */
export interface HistogramOptions extends MetricOptions {
  buckets?: number[]
}

/** A histogram whose value is computed when scraped. */
export interface CalculatedHistogramOptions<T = number> extends HistogramOptions {
  calculate: CalculateMetric<T>
}

/** A histogram. */
export interface Histogram {
  observe(value: number): void
  reset(): void
  timer(): StopTimer
}

/** A histogram with labels. */
export interface HistogramGroup<T extends string = any> {
  observe(values: Partial<Record<T, number>>): void
  reset(): void
  timer(key: string): StopTimer
}

/** Options for a summary. */
export interface SummaryOptions extends MetricOptions {
  percentiles?: number[]
  maxAgeSeconds?: number
  ageBuckets?: number
  pruneAgedBuckets?: boolean
  compressCount?: number
}

/** A summary whose value is computed when scraped. */
export interface CalculatedSummaryOptions<T = number> extends SummaryOptions {
  calculate: CalculateMetric<T>
}

/** A summary. */
export interface Summary {
  observe(value: number): void
  reset(): void
  timer(): StopTimer
}

/** A summary with labels. */
export interface SummaryGroup<T extends string = any> {
  observe(values: Partial<Record<T, number>>): void
  reset(): void
  timer(key: string): StopTimer
}

/** The type yielded by an iterator. */
export type YieldType<T extends AsyncIterator<any> | Iterator<any>> = T extends AsyncIterator<infer Y> ? Y : T extends Iterator<infer Y, any, any> ? Y : never

/** Attributes recorded on a trace span. */
export type TraceAttributes = Record<string, number | string | boolean | number[] | string[] | boolean[]>

/** How to trace a function. */
export interface TraceFunctionOptions<A, B> {
  optionsIndex?: number
  getAttributesFromArgs?(args: A, attributes: TraceAttributes): TraceAttributes
  getAttributesFromReturnValue?(value: B, attributes: TraceAttributes): TraceAttributes
}

/** How to trace a generator function. */
export interface TraceGeneratorFunctionOptions<A, B, C = any> extends TraceFunctionOptions<A, B> {
  getAttributesFromYieldedValue?(value: C, attributes: TraceAttributes, index: number): TraceAttributes
}

/**
 * The optional metrics component. Packages register their metrics through it
 * with names like `libp2p_<package>_<thing>_total`.
 */
export interface Metrics {
  /** Counts bytes of a raw connection. */
  trackMultiaddrConnection(maConn: MultiaddrConnection): void
  /** Counts bytes of a protocol stream by protocol. */
  trackProtocolStream(stream: Stream): void
  registerMetric: ((name: string, options?: MetricOptions) => Metric) & ((name: string, options: CalculatedMetricOptions) => void)
  registerMetricGroup: ((name: string, options?: MetricOptions) => MetricGroup) & ((name: string, options: CalculatedMetricOptions<Record<string, number>>) => void)
  registerCounter: ((name: string, options?: MetricOptions) => Counter) & ((name: string, options: CalculatedMetricOptions) => void)
  registerCounterGroup: ((name: string, options?: MetricOptions) => CounterGroup) & ((name: string, options: CalculatedMetricOptions<Record<string, number>>) => void)
  registerHistogram: ((name: string, options?: HistogramOptions) => Histogram) & ((name: string, options: CalculatedHistogramOptions) => void)
  registerHistogramGroup: ((name: string, options?: HistogramOptions) => HistogramGroup) & ((name: string, options: CalculatedHistogramOptions<Record<string, number>>) => void)
  registerSummary: ((name: string, options?: SummaryOptions) => Summary) & ((name: string, options: CalculatedSummaryOptions) => void)
  registerSummaryGroup: ((name: string, options?: SummaryOptions) => SummaryGroup) & ((name: string, options: CalculatedSummaryOptions<Record<string, number>>) => void)
  traceFunction<F extends (...args: any[]) => AsyncIterator<any>>(name: string, fn: F, options?: TraceGeneratorFunctionOptions<Parameters<F>, ReturnType<F>, YieldType<ReturnType<F>>>): F
  traceFunction<F extends (...args: any[]) => Iterator<any>>(name: string, fn: F, options?: TraceGeneratorFunctionOptions<Parameters<F>, ReturnType<F>, YieldType<ReturnType<F>>>): F
  traceFunction<F extends (...args: any[]) => any = (...args: any[]) => any>(name: string, fn: F, options?: TraceFunctionOptions<Parameters<F>, ReturnType<F>>): F
  createTrace(): any
}
