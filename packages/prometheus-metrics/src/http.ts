import type { PrometheusMetrics } from './metrics.js'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * A node:http request handler that answers `GET /metrics` (or the path
 * given) with the registry in the Prometheus text format, and 404 otherwise.
 *
 * ```js
 * http.createServer(metricsHandler(metrics)).listen(9090, '127.0.0.1')
 * ```
 */
export function metricsHandler (metrics: PrometheusMetrics, path = '/metrics'): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    metrics.scrape().then((body) => {
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body)
    }, (err: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`collecting metrics failed: ${err.message}\n`)
    })
  }
}
