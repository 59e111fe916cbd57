/**
 * A plain in-memory raw connection pair for the benchmark, on the official
 * @libp2p/utils AbstractMultiaddrConnection (the base js-libp2p transports
 * use), so neither encrypter runs on the other project's stream code:
 *
 * - bytes sent are delivered to the other end on the next macrotask
 *   (setImmediate), in chunks of at most 64 KiB, as a socket would;
 * - `send()` reports "full" once `maxInFlight` bytes are undelivered, and the
 *   sender gets `drain` as soon as a delivery brings it back under (no
 *   timers: the official test pair debounces its drain by 1 ms, which taxes
 *   an encrypter that waits for drain and not one that does not);
 * - a receiver's pause stops deliveries until it resumes.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { AbstractMultiaddrConnection } from '@libp2p/utils'
import { defaultLogger } from '@libp2p/logger'

const CHUNK = 64 * 1024
let n = 0

class BenchConnection extends AbstractMultiaddrConnection {
  constructor (init) {
    super(init)
    this.peer = undefined
    this.queue = []
    this.inFlight = 0
    this.maxInFlight = init.maxInFlight
    this.blocked = false
    this.deliveryPaused = false
    this.scheduled = false
  }

  sendData (data) {
    for (const buf of data) {
      for (let i = 0; i < buf.byteLength; i += CHUNK) {
        const chunk = buf.subarray(i, i + CHUNK)
        this.queue.push(chunk)
        this.inFlight += chunk.byteLength
      }
    }
    this.schedule()
    const canSendMore = this.inFlight < this.maxInFlight
    if (!canSendMore) this.blocked = true
    return { sentBytes: data.byteLength, canSendMore }
  }

  schedule () {
    if (this.scheduled || this.deliveryPaused) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      while (this.queue.length > 0 && !this.deliveryPaused && this.peer.status === 'open') {
        const chunk = this.queue.shift()
        this.inFlight -= chunk.byteLength
        this.peer.onData(chunk)
      }
      if (this.blocked && this.inFlight < this.maxInFlight) {
        this.blocked = false
        this.safeDispatchEvent('drain')
      }
    })
  }

  sendReset () { this.peer.onRemoteReset() }
  async sendClose () { this.peer.onTransportClosed() }
  sendPause () { this.peer.deliveryPaused = true }
  sendResume () {
    this.peer.deliveryPaused = false
    this.peer.schedule()
  }
}

export function benchPair (maxInFlight = 256 * 1024) {
  const log = defaultLogger().forComponent(`bench:pair:${n++}`)
  const a = new BenchConnection({ direction: 'outbound', log, remoteAddr: multiaddr('/memory/a'), maxInFlight })
  const b = new BenchConnection({ direction: 'inbound', log, remoteAddr: multiaddr('/memory/b'), maxInFlight })
  a.peer = b
  b.peer = a
  return [a, b]
}
