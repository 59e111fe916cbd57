import { publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { AbortError, TimeoutError, serviceCapabilities, setMaxListeners } from '@ts-libp2p/interface'
import { MAX_ADDRESSES_PER_RECORD, PeerRecord, RecordEnvelope } from '@ts-libp2p/peer-record'
import { anySignal } from '@ts-libp2p/utils'
import { IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, MAX_INBOUND_STREAMS, MAX_MESSAGE_SIZE, MAX_OUTBOUND_STREAMS, MAX_PUSH_CONCURRENCY, PROTOCOL_VERSION, PUSH_DEBOUNCE, TIMEOUT } from './constants.js'
import { consumeIdentify } from './consume.js'
import { readIdentify, writeIdentify } from './message.js'
import { ObservedAddrs } from './observed-addrs.js'
import type { Identify, IdentifyComponents, IdentifyInit } from './index.js'
import type { IdentifyMessage } from './message.js'
import type { AbortOptions, ClearableSignal, Connection, IdentifyResult, Logger, Startable, Stream } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A signal that fires with our typed TimeoutError after `ms`. */
function timeoutSignal (ms: number, message: string): { signal: AbortSignal, clear(): void } {
  const controller = new AbortController()
  const timer = setTimeout(() => { controller.abort(new TimeoutError(message)) }, ms)
  timer.unref?.()
  return { signal: controller.signal, clear: () => { clearTimeout(timer) } }
}

/** Our addresses as we advertise them: without our own /p2p/ suffix, which the peer id already says. */
function withoutPeerId (ma: Multiaddr): Multiaddr {
  const components = ma.getComponents()
  return components.at(-1)?.name === 'p2p' ? ma.decapsulateCode(components.at(-1)!.code) : ma
}

/**
 * The identify service: answers `/ipfs/id/1.0.0` with our Identify message,
 * identifies every new connection's peer, pushes our changes over
 * `/ipfs/id/push/1.0.0` and stores the pushes of others.
 */
export class IdentifyService implements Identify, Startable {
  readonly protocol = IDENTIFY_PROTOCOL
  readonly pushProtocol = IDENTIFY_PUSH_PROTOCOL
  readonly [Symbol.toStringTag] = '@ts-libp2p/identify'
  readonly [serviceCapabilities]: string[] = ['@libp2p/identify', '@libp2p/identify-push']

  readonly #components: IdentifyComponents
  readonly #log: Logger
  readonly #timeout: number
  readonly #maxMessageSize: number
  readonly #maxInboundStreams: number
  readonly #maxOutboundStreams: number
  readonly #runOnConnectionOpen: boolean
  readonly #runOnSelfUpdate: boolean
  readonly #runOnLimitedConnection: boolean
  readonly #protocolVersion: string
  readonly #agentVersion: string
  readonly #pushDebounce: number
  readonly #pushConcurrency: number
  readonly #observed: ObservedAddrs
  readonly #inFlight = new WeakMap<Connection, Promise<IdentifyResult>>()
  #shutdown?: AbortController
  #pushTimer?: ReturnType<typeof setTimeout>
  #pushing?: Promise<void>
  #lastPushed = ''
  #lastPushAt = 0
  #record?: { key: string, envelope: Uint8Array }
  #started = false

  constructor (components: IdentifyComponents, init: IdentifyInit = {}) {
    this.#components = components
    this.#log = components.logger.forComponent('identify')
    this.#timeout = init.timeout ?? TIMEOUT
    this.#maxMessageSize = init.maxMessageSize ?? MAX_MESSAGE_SIZE
    this.#maxInboundStreams = init.maxInboundStreams ?? MAX_INBOUND_STREAMS
    this.#maxOutboundStreams = init.maxOutboundStreams ?? MAX_OUTBOUND_STREAMS
    this.#runOnConnectionOpen = init.runOnConnectionOpen ?? true
    this.#runOnSelfUpdate = init.runOnSelfUpdate ?? true
    this.#runOnLimitedConnection = init.runOnLimitedConnection ?? true
    this.#protocolVersion = init.protocolVersion ?? PROTOCOL_VERSION
    this.#agentVersion = init.agentVersion ?? components.nodeInfo.userAgent
    this.#pushDebounce = init.pushDebounce ?? PUSH_DEBOUNCE
    this.#pushConcurrency = init.pushConcurrency ?? MAX_PUSH_CONCURRENCY
    this.#observed = new ObservedAddrs(components.addressManager, { threshold: init.observedAddrThreshold })
    this.onConnectionOpen = this.onConnectionOpen.bind(this)
    this.onSelfUpdate = this.onSelfUpdate.bind(this)
    this.handleIdentify = this.handleIdentify.bind(this)
    this.handlePush = this.handlePush.bind(this)
  }

  isStarted (): boolean {
    return this.#started
  }

  async start (): Promise<void> {
    if (this.#started) return
    this.#shutdown = new AbortController()
    // every identify and push in flight listens to it (bounded by connections and the push concurrency)
    setMaxListeners(Infinity, this.#shutdown.signal)
    const options = {
      maxInboundStreams: this.#maxInboundStreams,
      maxOutboundStreams: this.#maxOutboundStreams,
      runOnLimitedConnection: this.#runOnLimitedConnection
    }
    await this.#components.registrar.handle(IDENTIFY_PROTOCOL, this.handleIdentify, options)
    await this.#components.registrar.handle(IDENTIFY_PUSH_PROTOCOL, this.handlePush, options)
    if (this.#runOnConnectionOpen) this.#components.events.addEventListener('connection:open', this.onConnectionOpen)
    if (this.#runOnSelfUpdate) this.#components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    this.#started = true
  }

  async stop (): Promise<void> {
    if (!this.#started) return
    this.#started = false
    this.#components.events.removeEventListener('connection:open', this.onConnectionOpen)
    this.#components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    clearTimeout(this.#pushTimer)
    this.#pushTimer = undefined
    this.#shutdown?.abort(new AbortError('The identify service stopped'))
    await this.#components.registrar.unhandle(IDENTIFY_PROTOCOL)
    await this.#components.registrar.unhandle(IDENTIFY_PUSH_PROTOCOL)
    await this.#pushing?.catch(() => {})
    this.#observed.clear()
  }

  async identify (connection: Connection, options: AbortOptions = {}): Promise<IdentifyResult> {
    // one identify per connection at a time: a second caller shares the first's answer
    const running = this.#inFlight.get(connection)
    if (running != null) return await running
    const current = this.#identify(connection, options)
    this.#inFlight.set(connection, current)
    try {
      return await current
    } finally {
      if (this.#inFlight.get(connection) === current) this.#inFlight.delete(connection)
    }
  }

  async #identify (connection: Connection, options: AbortOptions): Promise<IdentifyResult> {
    const { signal, clear } = this.#signal(options.signal, `Identify of ${connection.remotePeer} timed out after ${this.#timeout} ms`)
    try {
      signal.throwIfAborted()
      const stream = await connection.newStream(IDENTIFY_PROTOCOL, {
        signal,
        runOnLimitedConnection: this.#runOnLimitedConnection,
        // we send nothing: negotiate now rather than on a first write that never comes
        negotiateFully: true
      })
      let message: IdentifyMessage
      try {
        await stream.close({ signal })
        message = await readIdentify(stream, { signal, maxMessageSize: this.#maxMessageSize })
      } catch (err: any) {
        stream.abort(err)
        throw err
      }
      const result = await consumeIdentify(message, connection, { peerStore: this.#components.peerStore, log: this.#log, signal })
      if (result.observedAddr != null && this.#started) {
        if (this.#observed.report(result.observedAddr, connection.remotePeer)) {
          this.#log('%a confirmed as our address by enough peers', result.observedAddr)
          // the address manager announces nothing itself: tell our peers of the new address
          this.onSelfUpdate()
        }
      }
      this.#components.events.safeDispatchEvent('peer:identify', { detail: result })
      return result
    } catch (err: any) {
      throw signal.aborted && signal.reason instanceof Error && err?.name !== 'PublicKeyMismatchError' ? signal.reason : err
    } finally {
      clear()
    }
  }

  /** Answers `/ipfs/id/1.0.0`: our Identify message, then close (spec). */
  async handleIdentify (stream: Stream, connection: Connection): Promise<void> {
    const { signal, clear } = this.#signal(undefined, `Answering identify from ${connection.remotePeer} took over ${this.#timeout} ms`)
    try {
      const message = await this.#ourMessage(connection, signal)
      await writeIdentify(stream, message, { signal })
      await stream.close({ signal })
    } catch (err: any) {
      this.#log('answering identify from %p failed - %e', connection.remotePeer, err)
      stream.abort(err)
    } finally {
      clear()
    }
  }

  /** Receives an identify/push: a (possibly partial) Identify message, then the stream ends. */
  async handlePush (stream: Stream, connection: Connection): Promise<void> {
    const { signal, clear } = this.#signal(undefined, `Identify push from ${connection.remotePeer} took over ${this.#timeout} ms`)
    try {
      const message = await readIdentify(stream, { signal, maxMessageSize: this.#maxMessageSize })
      const result = await consumeIdentify(message, connection, { peerStore: this.#components.peerStore, log: this.#log, signal, partial: true })
      await stream.close({ signal })
      this.#components.events.safeDispatchEvent('peer:identify', { detail: result })
    } catch (err: any) {
      this.#log('identify push from %p failed - %e', connection.remotePeer, err)
      stream.abort(err)
    } finally {
      clear()
    }
  }

  /** Identifies the peer of each new connection (in the background; failures are logged). */
  onConnectionOpen (evt: CustomEvent<Connection>): void {
    const connection = evt.detail
    if (connection.limits != null && !this.#runOnLimitedConnection) return
    this.identify(connection).catch((err: Error) => {
      this.#log('identify of %p on a new connection failed - %e', connection.remotePeer, err)
    })
  }

  /**
   * Schedules a push when our addresses or protocols change: at once (after
   * the current tick, so changes made together go together) when the last
   * push is older than the debounce window, else at the end of the window, so
   * a burst of changes makes at most one push per window.
   */
  onSelfUpdate (): void {
    if (!this.#started || this.#pushTimer != null) return
    const delay = Math.max(0, this.#lastPushAt + this.#pushDebounce - Date.now())
    this.#pushTimer = setTimeout(() => {
      this.#pushTimer = undefined
      this.#lastPushAt = Date.now()
      const previous = this.#pushing ?? Promise.resolve()
      this.#pushing = previous.then(async () => { await this.push() }).catch((err: Error) => {
        this.#log.error('identify push failed - %e', err)
      })
    }, delay)
    this.#pushTimer.unref?.()
  }

  async push (): Promise<void> {
    if (!this.#started) return
    const key = this.#selfKey()
    if (key === this.#lastPushed) return
    this.#lastPushed = key
    const targets: Connection[] = []
    for (const connection of this.#components.connectionManager.getConnections()) {
      if (connection.status !== 'open') continue
      if (connection.limits != null && !this.#runOnLimitedConnection) continue
      const peer = await this.#components.peerStore.get(connection.remotePeer).catch(() => undefined)
      if (peer?.protocols.includes(IDENTIFY_PUSH_PROTOCOL) === true) targets.push(connection)
    }
    this.#log('pushing our identify to %d connection(s)', targets.length)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < targets.length && this.#started) {
        const connection = targets[next++]
        await this.#pushTo(connection).catch((err: Error) => {
          this.#log('identify push to %p failed - %e', connection.remotePeer, err)
        })
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.#pushConcurrency, targets.length) }, worker))
  }

  async #pushTo (connection: Connection): Promise<void> {
    const { signal, clear } = this.#signal(undefined, `Identify push to ${connection.remotePeer} timed out after ${this.#timeout} ms`)
    try {
      const stream = await connection.newStream(IDENTIFY_PUSH_PROTOCOL, { signal, runOnLimitedConnection: this.#runOnLimitedConnection })
      try {
        await writeIdentify(stream, await this.#ourMessage(connection, signal), { signal })
        await stream.close({ signal })
      } catch (err: any) {
        stream.abort(err)
        throw err
      }
    } finally {
      clear()
    }
  }

  /** What we say about ourselves to the peer of `connection`. */
  async #ourMessage (connection: Connection, signal: AbortSignal): Promise<IdentifyMessage> {
    const { privateKey, addressManager, registrar } = this.#components
    const addrs = addressManager.getAddresses().map(withoutPeerId)
    return {
      protocolVersion: this.#protocolVersion,
      agentVersion: this.#agentVersion,
      publicKey: publicKeyToProtobuf(privateKey.publicKey),
      listenAddrs: addrs.map(ma => ma.bytes),
      observedAddr: connection.remoteAddr.bytes,
      protocols: registrar.getProtocols(),
      signedPeerRecord: await this.#signedPeerRecord(addrs, signal)
    }
  }

  /** Our signed peer record, sealed again only when our addresses change. */
  async #signedPeerRecord (addrs: Multiaddr[], signal: AbortSignal): Promise<Uint8Array> {
    const certified = addrs.slice(0, MAX_ADDRESSES_PER_RECORD)
    const key = certified.map(String).join(' ')
    if (this.#record?.key !== key) {
      const record = new PeerRecord({ peerId: this.#components.peerId, multiaddrs: certified })
      const envelope = await RecordEnvelope.seal(record, this.#components.privateKey, { signal })
      this.#record = { key, envelope: envelope.marshal() }
    }
    return this.#record.envelope
  }

  #selfKey (): string {
    const addrs = this.#components.addressManager.getAddresses().map(String).sort()
    const protocols = [...this.#components.registrar.getProtocols()].sort()
    return JSON.stringify([addrs, protocols])
  }

  #signal (signal: AbortSignal | undefined, message: string): { signal: ClearableSignal, clear(): void } {
    const timeout = timeoutSignal(this.#timeout, message)
    const combined = anySignal([signal, timeout.signal, this.#shutdown?.signal])
    return { signal: combined, clear: () => { combined.clear(); timeout.clear() } }
  }
}
