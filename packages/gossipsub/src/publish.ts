/**
 * The message path: validation of received messages (pubsub/README.md
 * "Message Validation", with the v1.1 scoring hooks and v1.2 IDONTWANT),
 * forwarding to the mesh (v1.0 "Message Processing"), and publishing (v1.0
 * mesh/fanout, v1.1 "Flood Publishing"), one message or a batch.
 */
import { TopicValidatorResult } from '@ts-libp2p/interface'
import { SeqnoGenerator, buildMessage, encodeRpcFrame, inspectMessage, messageSize, msgIdFromSeqno, msgIdToKey, validateMessage } from '@ts-libp2p/pubsub'
import { sha256 } from 'multiformats/hashes/sha2'
import { CONNECT_TIMEOUT } from './constants.js'
import { sendIDontWant } from './control.js'
import { PublishError } from './errors.js'
import { supportsMesh } from './features.js'
import { shuffle } from './mesh.js'
import { RejectReason } from './score/peer-score.js'
import type { GossipSub, PeerState } from './gossipsub.js'
import type { DirectPeer } from './index.js'
import type { Message, PeerId, PublishResult } from '@ts-libp2p/interface'
import type { MsgIdFn, RPCMessage } from '@ts-libp2p/pubsub'

/**
 * The default message id: author + seqno for signed messages (as
 * @ts-libp2p/pubsub's default), sha256(data) for unsigned ones, hashed with
 * node:crypto (WebCrypto in browsers) through multiformats: the pure-JS hash
 * cost over 100 µs per 16 KiB copy in the benchmark, and every received copy
 * is hashed before the duplicate check.
 */
export function defaultGossipsubMsgId (message: Message): Uint8Array | Promise<Uint8Array> {
  if (message.type === 'signed') return msgIdFromSeqno(message)
  const digest = sha256.digest(message.data)
  return digest instanceof Promise ? digest.then(d => d.digest) : digest.digest
}

interface Prepared {
  message: RPCMessage
  id: Uint8Array
  key: string
  targets: string[]
  frame: Uint8Array
}

export class Publisher {
  readonly #gs: GossipSub
  readonly #direct: DirectPeer[]
  readonly #msgIdFn: MsgIdFn
  readonly #seqno = new SeqnoGenerator()
  /** Ids with a copy under validation now (bounded by maxValidationsInFlight). */
  readonly #validating = new Set<string>()

  constructor (gs: GossipSub, direct: DirectPeer[], msgIdFn?: MsgIdFn) {
    this.#gs = gs
    this.#direct = direct
    this.#msgIdFn = msgIdFn ?? defaultGossipsubMsgId
  }

  /** Records the direct peers' addresses and dials them. */
  async start (): Promise<void> {
    for (const peer of this.#direct) {
      if (peer.addrs != null && peer.addrs.length > 0) {
        await this.#gs.components.peerStore.merge(peer.id, { multiaddrs: peer.addrs }).catch(() => {})
      }
    }
    this.connectDirect()
  }

  /** v1.1 "Explicit Peering Agreements": (re)connect to direct peers we are not connected to. */
  connectDirect (): void {
    const { connectionManager } = this.#gs.components
    for (const peer of this.#direct) {
      if (connectionManager.getConnections(peer.id).length > 0) continue
      connectionManager.openConnection(peer.id, { signal: AbortSignal.timeout(CONNECT_TIMEOUT) })
        .catch((err: Error) => { this.#gs.log('could not connect to direct peer %p - %e', peer.id, err) })
    }
  }

  /** A message arrived from `peer`: validate it (bounded concurrency), then deliver and forward it. */
  handleMessage (peer: PeerState, message: RPCMessage): void {
    const gs = this.#gs
    if (!gs.subscriptions.has(message.topic)) return
    if (gs.validationsInFlight >= gs.config.maxValidationsInFlight) {
      gs.metrics?.throttled.increment()
      return
    }
    gs.validationsInFlight++
    void this.#validate(peer, message)
      .catch(err => { gs.log('validating a message from %p failed - %e', peer.id, err) })
      .finally(() => { gs.validationsInFlight-- })
  }

  async #validate (peer: PeerState, message: RPCMessage): Promise<void> {
    const gs = this.#gs
    const topic = message.topic
    let first: string | undefined
    const outcome = await validateMessage(message, {
      policy: gs.globalSignaturePolicy,
      propagationSource: peer.id,
      topicValidators: gs.topicValidators,
      maxMessageSize: gs.config.maxRpcSize,
      msgIdFn: this.#msgIdFn,
      // A message id is marked seen only once a copy has passed validation (as go does):
      // marking it earlier would let a forged copy (same from and seqno, bad signature)
      // sent first censor the real message. Copies arriving while one is being validated
      // are validated too; the first copy starts the score's delivery record and IDONTWANT.
      isDuplicate: (key, id) => {
        if (gs.seen.has(key)) {
          gs.score.duplicateMessage(peer.key, key, topic)
          gs.metrics?.duplicate.increment()
          return true
        }
        if (!this.#validating.has(key)) {
          this.#validating.add(key)
          first = key
          gs.score.validateMessage(key, topic)
          // v1.2: IDONTWANT to mesh peers on the first copy, before validation, for large messages
          if ((message.raw?.byteLength ?? messageSize(message)) > gs.config.idontwantMessageThreshold) {
            sendIDontWant(gs, topic, id, new Set([peer.key]))
          }
        }
        return false
      },
      markSeen: (key) => {
        if (gs.seen.has(key)) {
          // another copy passed validation while this one was being validated
          gs.score.duplicateMessage(peer.key, key, topic)
          gs.metrics?.duplicate.increment()
          return false
        }
        gs.seen.add(key)
        return true
      }
    }).finally(() => { if (first != null) this.#validating.delete(first) })
    if (outcome.result === TopicValidatorResult.Accept) {
      const key = outcome.msgIdKey
      gs.score.deliverMessage(peer.key, key, topic)
      gs.promises.deliver(key)
      // cache a compact copy: the decoded message's fields are views into the whole received chunk
      gs.mcache.put(key, topic, message.raw != null ? { topic, raw: message.raw.slice() } : message)
      gs.metrics?.delivered.increment()
      if (gs.subscriptions.has(topic)) {
        gs.safeDispatchEvent('gossipsub:message', { detail: { propagationSource: peer.id, msgId: key, msg: outcome.message } })
        gs.safeDispatchEvent('message', { detail: outcome.message })
      }
      this.#forward(message, key, peer.key, outcome.message)
      return
    }
    if (outcome.result === TopicValidatorResult.Reject) {
      gs.metrics?.rejected.increment()
      const key = outcome.msgIdKey
      if (key != null && (outcome.reason === 'validator-reject' || outcome.reason === 'validator-error')) {
        gs.score.rejectMessage(peer.key, key, topic, RejectReason.Reject)
        gs.promises.deliver(key)
      } else {
        gs.score.rejectMessage(peer.key, undefined, topic, RejectReason.Error)
      }
      return
    }
    if (outcome.reason === 'validator-ignore' && outcome.msgIdKey != null) {
      gs.metrics?.ignored.increment()
      gs.score.rejectMessage(peer.key, outcome.msgIdKey, topic, RejectReason.Ignore)
      gs.promises.deliver(outcome.msgIdKey)
    }
  }

  /**
   * v1.0 forwarding: to the topic's mesh peers, direct peers and floodsub
   * peers, never back to the sender or the author, and (v1.2) not to peers
   * that sent IDONTWANT for it.
   */
  #forward (message: RPCMessage, key: string, from: string, app: Message): void {
    const gs = this.#gs
    const topic = message.topic
    const author = app.type === 'signed' ? app.from.toString() : undefined
    const targets = new Set<string>(gs.mesh.get(topic) ?? [])
    for (const p of gs.topics.get(topic) ?? []) {
      if (gs.direct.has(p)) targets.add(p)
      else if (!supportsMesh(gs.peers.get(p)?.protocol ?? '') && gs.score.score(p) >= gs.config.scoreThresholds.publishThreshold) targets.add(p)
    }
    targets.delete(from)
    if (author != null) targets.delete(author)
    let frame: Uint8Array | undefined
    for (const p of targets) {
      const peer = gs.peers.get(p)
      if (peer == null) continue
      if (peer.idontwant.has(key)) {
        gs.metrics?.idontwantSkipped.increment()
        continue
      }
      frame ??= encodeRpcFrame({ subscriptions: [], messages: [message] })
      gs.sendFrame(peer, frame)
    }
  }

  /** The peers our own message on `topic` goes to (v1.1 flood publish, or v1.0 mesh / fanout). */
  #publishTargets (topic: string): string[] {
    const gs = this.#gs
    const c = gs.config
    const subscribed = gs.topics.get(topic) ?? new Set<string>()
    const publishable = (p: string): boolean => gs.peers.has(p) && gs.score.score(p) >= c.scoreThresholds.publishThreshold
    const out = new Set<string>()
    for (const p of subscribed) {
      if (gs.direct.has(p) && gs.peers.has(p)) out.add(p)
      else if (!supportsMesh(gs.peers.get(p)?.protocol ?? '') && publishable(p)) out.add(p)
    }
    if (c.floodPublish) {
      for (const p of subscribed) if (publishable(p)) out.add(p)
      return [...out]
    }
    let peers = gs.mesh.get(topic)
    if (peers == null) {
      peers = gs.fanout.get(topic)
      if (peers == null || peers.size === 0) {
        const candidates = [...subscribed].filter(p => supportsMesh(gs.peers.get(p)?.protocol ?? '') && !gs.direct.has(p) && publishable(p))
        peers = new Set(shuffle(candidates, c.random).slice(0, c.D))
        gs.fanout.set(topic, peers)
      }
      gs.fanoutLastPub.set(topic, Date.now())
    }
    for (const p of peers) if (gs.peers.has(p)) out.add(p)
    return [...out]
  }

  async publish (topic: string, data: Uint8Array): Promise<PublishResult> {
    const [result] = await this.publishBatch([{ topic, data }])
    return result
  }

  /**
   * Publishes several messages. Every message is signed, checked and
   * cached first; then the copies go out in rounds where each round gives
   * every recipient one more message, and recipient number j starts at
   * message j (mod n), so different peers get different messages first and
   * can relay them in parallel (the idea of go-libp2p-pubsub's batch
   * publishing; the spec defines no batch behaviour).
   */
  async publishBatch (items: Array<{ topic: string, data: Uint8Array }>): Promise<PublishResult[]> {
    const gs = this.#gs
    const c = gs.config
    const prepared: Prepared[] = []
    for (const { topic, data } of items) {
      const message = await buildMessage({ policy: gs.globalSignaturePolicy, topic, data, privateKey: gs.components.privateKey, peerId: gs.components.peerId, seqno: this.#seqno })
      const inspection = inspectMessage(message, gs.globalSignaturePolicy)
      if (!inspection.valid) throw new PublishError(`Could not build a valid message: ${inspection.reason}`)
      const id = await this.#msgIdFn(inspection.message)
      const key = msgIdToKey(id)
      if (gs.seen.has(key) || prepared.some(p => p.key === key)) throw new PublishError(`Message ${topic} is a duplicate of one seen within seen_ttl`)
      if (messageSize(message) > c.maxRpcSize) throw new PublishError(`Message of ${messageSize(message)} bytes is over the limit of ${c.maxRpcSize}`)
      const targets = this.#publishTargets(topic)
      if (targets.length === 0 && !c.allowPublishToZeroTopicPeers) throw new PublishError(`No peers subscribed to ${topic}`)
      prepared.push({ message, id, key, targets, frame: encodeRpcFrame({ subscriptions: [], messages: [message] }) })
      if (c.emitSelf && gs.subscriptions.has(topic)) {
        gs.safeDispatchEvent('message', { detail: inspection.message })
      }
    }
    for (const p of prepared) {
      gs.seen.add(p.key)
      gs.mcache.put(p.key, p.message.topic, p.message)
    }
    // per recipient, its messages in a rotated order
    const queues = new Map<string, Prepared[]>()
    for (const p of prepared) {
      for (const t of p.targets) {
        let q = queues.get(t)
        if (q == null) { q = []; queues.set(t, q) }
        q.push(p)
      }
    }
    let j = 0
    for (const [peer, q] of queues) {
      const offset = j++ % q.length
      queues.set(peer, [...q.slice(offset), ...q.slice(0, offset)])
    }
    const rounds = Math.max(0, ...[...queues.values()].map(q => q.length))
    for (let r = 0; r < rounds; r++) {
      for (const [p, q] of queues) {
        const peer = gs.peers.get(p)
        if (peer != null && r < q.length) gs.sendFrame(peer, q[r].frame)
      }
    }
    gs.metrics?.published.increment(prepared.length)
    // v1.2 on publish: mesh peers we did not send a large message to learn we have it (they will not relay it back)
    for (const p of prepared) {
      if (p.message.raw != null && p.message.raw.byteLength > c.idontwantMessageThreshold) {
        sendIDontWant(gs, p.message.topic, p.id, new Set(p.targets))
      }
    }
    return prepared.map(p => ({ recipients: p.targets.map(t => gs.peers.get(t)?.id).filter((id): id is PeerId => id != null) }))
  }
}
