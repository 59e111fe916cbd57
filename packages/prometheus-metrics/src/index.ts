/**
 * @packageDocumentation
 *
 * Prometheus metrics for a ts-libp2p node, backed by
 * [prom-client](https://www.npmjs.com/package/prom-client): give
 * `metrics: prometheusMetrics()` to `createLibp2p`, then serve
 * `metricsHandler(node.metrics)` over HTTP.
 */
import { PrometheusMetrics } from './metrics.js'
import type { PrometheusMetricsComponents, PrometheusMetricsInit } from './metrics.js'
import type { Metrics } from '@ts-libp2p/interface'

/** The metrics component factory for `createLibp2p({ metrics })`. */
export function prometheusMetrics (init: PrometheusMetricsInit = {}): (components: PrometheusMetricsComponents) => PrometheusMetrics {
  return (components) => new PrometheusMetrics(components, init)
}

prometheusMetrics satisfies (init?: PrometheusMetricsInit) => (components: PrometheusMetricsComponents) => Metrics

export { PrometheusMetrics } from './metrics.js'
export type { PrometheusMetricsComponents, PrometheusMetricsInit } from './metrics.js'
export { metricsHandler } from './http.js'
export * from './constants.js'
