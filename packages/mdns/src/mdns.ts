import { createSocket } from 'node:dgram'
import { InvalidParametersError, TypedEventEmitter, peerDiscoverySymbol } from '@ts-libp2p/interface'
import { encodeMetaResponse, encodeQuery, encodeResponse, isValidPeerName, randomPeerName, readMessage } from './codec.js'
import { MAX_PACKET_SIZE, MAX_PEERS_PER_INTERVAL, MDNS_IPV4_GROUP, MDNS_PORT, MIN_RESPONSE_INTERVAL, MULTICAST_TTL, QUERY_INTERVAL, SERVICE_TAG } from './constants.js'
import type { MdnsComponents, MdnsInit } from './index.js'
import type { Logger, PeerDiscovery, PeerDiscoveryEvents, Startable } from '@ts-libp2p/interface'
import type { Socket, RemoteInfo } from 'node:dgram'

/** Validated options with their defaults applied. */
export interface MdnsOptions {
  interval: number
  serviceTag: string
  peerName: string
  broadcast: boolean
  port: number
  group: string
  interface?: string
}

/** Applies defaults and checks the options; throws InvalidParametersError. */
export function mdnsOptions (init: MdnsInit = {}): MdnsOptions {
  const interval = init.interval ?? QUERY_INTERVAL
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 100) {
    throw new InvalidParametersError(`interval must be a finite number of at least 100 ms, not ${interval}`)
  }
  const serviceTag = init.serviceTag ?? SERVICE_TAG
  if (typeof serviceTag !== 'string' || !/^[a-z0-9_.-]+$/i.test(serviceTag) || serviceTag.length > 200) {
    throw new InvalidParametersError(`serviceTag must be a DNS name such as ${SERVICE_TAG}, not ${JSON.stringify(serviceTag)}`)
  }
  const peerName = init.peerName ?? randomPeerName()
  if (!isValidPeerName(peerName)) {
    throw new InvalidParametersError(`peerName must be one DNS label of letters, digits and '-' (at most 63), not ${JSON.stringify(peerName)}`)
  }
  const port = init.port ?? MDNS_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidParametersError(`port must be 0..65535, not ${port}`)
  return {
    interval,
    serviceTag,
    peerName,
    broadcast: init.broadcast ?? true,
    port,
    group: init.ip ?? MDNS_IPV4_GROUP,
    interface: init.interface
  }
}

/**
 * Peer discovery over multicast DNS (libp2p specs discovery/mdns.md), IPv4.
 * On start it joins the mDNS group, sends a find-all-peers query, and again
 * every `interval`; it answers queries for the service with our addresses
 * (unless `broadcast` is false) and emits `peer` for each peer announced in
 * the responses it hears, once per peer per interval, never for itself.
 */
export class MulticastDNS extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery, Startable {
  readonly [peerDiscoverySymbol] = this
  readonly [Symbol.toStringTag] = '@ts-libp2p/mdns'

  readonly #components: MdnsComponents
  readonly #log: Logger
  readonly #options: MdnsOptions
  /** Peers announced with `peer` in the current interval (bounded by MAX_PEERS_PER_INTERVAL). */
  readonly #seen = new Set<string>()
  #socket?: Socket
  /** The start in progress, which a concurrent start() joins and stop() waits for. */
  #starting?: Promise<void>
  #queryTimer?: ReturnType<typeof setInterval>
  #responseTimer?: ReturnType<typeof setTimeout>
  #lastResponse = -Infinity
  /** The pending response answers a direct TXT query, so carries the TXT records as answers. */
  #pendingTxtInAnswers = false
  #lastMetaResponse = -Infinity

  constructor (components: MdnsComponents, init: MdnsInit = {}) {
    super()
    this.#components = components
    this.#log = components.logger.forComponent('mdns')
    this.#options = mdnsOptions(init)
  }

  /** The random (or configured) name this peer announces, `<peerName>.<serviceTag>`. */
  get peerName (): string {
    return this.#options.peerName
  }

  isStarted (): boolean {
    return this.#socket != null
  }

  async start (): Promise<void> {
    if (this.#socket != null) return
    this.#starting ??= this.#open().finally(() => { this.#starting = undefined })
    await this.#starting
  }

  async #open (): Promise<void> {
    const { port, group } = this.#options
    const iface = this.#options.interface
    const socket = createSocket({ type: 'udp4', reuseAddr: true })
    // bound to the wildcard address: on Linux a socket bound to a unicast address receives no multicast
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => { socket.close(); reject(err) }
      socket.once('error', onError)
      socket.bind(port, () => { socket.off('error', onError); resolve() })
    })
    try {
      socket.setMulticastTTL(MULTICAST_TTL)
      socket.setTTL(MULTICAST_TTL)
      socket.setMulticastLoopback(true)
      if (iface != null) socket.setMulticastInterface(iface)
      socket.addMembership(group, iface)
    } catch (err) {
      socket.close()
      throw err
    }
    socket.on('error', (err) => { this.#log.error('socket error - %e', err) })
    socket.on('message', (msg, rinfo) => { this.#onMessage(msg, rinfo) })
    this.#socket = socket
    this.#log('listening on %s:%d (interface %s) as %s.%s', group, port, iface ?? 'default', this.#options.peerName, this.#options.serviceTag)
    this.#query()
    this.#queryTimer = setInterval(() => {
      this.#seen.clear()
      this.#query()
    }, this.#options.interval)
  }

  /** Queries again once every service has started: our transports now listen, peers answering us learn of us. */
  afterStart (): void {
    this.#query()
  }

  async stop (): Promise<void> {
    await this.#starting?.catch(() => {})
    clearInterval(this.#queryTimer)
    clearTimeout(this.#responseTimer)
    this.#queryTimer = undefined
    this.#responseTimer = undefined
    this.#seen.clear()
    const socket = this.#socket
    this.#socket = undefined
    if (socket == null) return
    await new Promise<void>((resolve) => {
      try {
        socket.close(() => { resolve() })
      } catch {
        resolve()
      }
    })
  }

  #send (bytes: Uint8Array): void {
    const socket = this.#socket
    if (socket == null) return
    socket.send(bytes, this.#options.port, this.#options.group, (err) => {
      if (err != null) this.#log.error('could not send %d bytes - %e', bytes.byteLength, err)
    })
  }

  #query (): void {
    if (this.#socket == null) return
    this.#log.trace('querying %s', this.#options.serviceTag)
    this.#send(encodeQuery(this.#options.serviceTag))
  }

  /** Answers now, or when MIN_RESPONSE_INTERVAL since the last answer has passed (one pending answer at most). */
  #scheduleResponse (txtInAnswers: boolean): void {
    this.#pendingTxtInAnswers ||= txtInAnswers
    if (this.#responseTimer != null) return
    const wait = this.#lastResponse + MIN_RESPONSE_INTERVAL - Date.now()
    if (wait <= 0) {
      this.#respond()
      return
    }
    this.#responseTimer = setTimeout(() => {
      this.#responseTimer = undefined
      this.#respond()
    }, wait)
  }

  #respond (): void {
    const packet = encodeResponse({
      serviceTag: this.#options.serviceTag,
      peerName: this.#options.peerName,
      peerId: this.#components.peerId,
      multiaddrs: this.#components.addressManager.getAddresses(),
      txtInAnswers: this.#pendingTxtInAnswers
    })
    this.#pendingTxtInAnswers = false
    if (packet == null) {
      this.#log.trace('no address suitable for mDNS to announce')
      return
    }
    this.#lastResponse = Date.now()
    this.#send(packet)
  }

  #onMessage (msg: Buffer, rinfo: RemoteInfo): void {
    if (this.#socket == null) return
    if (msg.byteLength > MAX_PACKET_SIZE) {
      this.#log('ignoring packet of %d bytes from %s:%d, over %d', msg.byteLength, rinfo.address, rinfo.port, MAX_PACKET_SIZE)
      return
    }
    let message
    try {
      message = readMessage(msg, this.#options.serviceTag, this.#components.peerId, `${this.#options.peerName}.${this.#options.serviceTag}`)
    } catch (err: any) {
      this.#log('ignoring packet from %s:%d - %s', rinfo.address, rinfo.port, err?.message ?? err)
      return
    }
    if (message.type === 'query') {
      if (!this.#options.broadcast) return
      if (message.service || message.instance) this.#scheduleResponse(message.instance)
      if (message.meta && Date.now() - this.#lastMetaResponse >= MIN_RESPONSE_INTERVAL) {
        this.#lastMetaResponse = Date.now()
        this.#send(encodeMetaResponse(this.#options.serviceTag))
      }
      return
    }
    for (const info of message.peers) {
      const key = info.id.toString()
      if (this.#seen.has(key)) continue
      if (this.#seen.size >= MAX_PEERS_PER_INTERVAL) {
        this.#log('already %d peers this interval, ignoring %p until the next', MAX_PEERS_PER_INTERVAL, info.id)
        continue
      }
      this.#seen.add(key)
      this.#log('discovered %p at %a', info.id, info.multiaddrs[0])
      this.safeDispatchEvent('peer', { detail: info })
    }
  }
}
