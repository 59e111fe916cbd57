import { InvalidMessageError, TopicValidatorResult } from '@ts-libp2p/interface'
import { PubSubBase, encodeRpcFrame } from '@ts-libp2p/pubsub'
import { MAX_PENDING_VALIDATIONS, PROTOCOL, SEEN_TTL } from './constants.js'
import type { FloodSub, FloodSubInit } from './index.js'
import type { PubSubPeer, RPC, RPCMessage, PubSubComponents } from '@ts-libp2p/pubsub'
import type { PeerId, PublishResult } from '@ts-libp2p/interface'

/**
 * Floodsub: every valid message goes to every peer subscribed to its
 * topic, except the peer we got it from and its author. Duplicates are
 * dropped with the seen cache; nothing else limits the flood.
 */
export class FloodSubRouter extends PubSubBase implements FloodSub {
  readonly [Symbol.toStringTag] = '@ts-libp2p/floodsub'
  readonly protocol: string
  /** Messages dropped because too many were being validated. */
  droppedForLoad = 0

  readonly #maxPendingValidations: number
  #pending = 0

  constructor (components: PubSubComponents, init: FloodSubInit = {}) {
    const protocol = init.protocol ?? PROTOCOL
    super(components, [protocol], {
      ...init,
      seenTTL: init.seenTTL ?? SEEN_TTL,
      // floodsub relays every topic, as go-libp2p-pubsub and the official js floodsub do
      canRelayMessage: init.canRelayMessage ?? true
    }, 'floodsub')
    this.protocol = protocol
    this.#maxPendingValidations = init.maxPendingValidations ?? MAX_PENDING_VALIDATIONS
  }

  async publish (topic: string, data: Uint8Array = new Uint8Array(0)): Promise<PublishResult> {
    const { rpc, outcome } = await this.buildPublishedMessage(topic, data)
    if (outcome.result !== TopicValidatorResult.Accept) {
      throw new InvalidMessageError(`Our own message on ${topic} was not accepted: ${outcome.result} (${outcome.reason})`)
    }
    const recipients = this.#flood(rpc, this.components.peerId, this.components.peerId)
    if (this.emitSelf && this.subscriptions.has(topic)) {
      this.deliver(outcome)
      recipients.push(this.components.peerId)
    }
    return { recipients }
  }

  protected handleRpc (peer: PubSubPeer, rpc: RPC): void {
    for (const message of rpc.messages) {
      if (!this.subscriptions.has(message.topic) && !this.canRelayMessage) continue
      if (this.#pending >= this.#maxPendingValidations) {
        this.droppedForLoad++
        this.log('dropping a message from %p: %d validations pending', peer.peerId, this.#pending)
        continue
      }
      this.#pending++
      void this.#process(peer, message).finally(() => { this.#pending-- })
    }
  }

  async #process (peer: PubSubPeer, message: RPCMessage): Promise<void> {
    const outcome = await this.validateReceived(peer, message)
    if (outcome.result !== TopicValidatorResult.Accept) {
      if (outcome.result === TopicValidatorResult.Reject) this.log('rejected a message from %p: %s', peer.peerId, outcome.reason)
      return
    }
    if (!this.isStarted()) return
    if (this.subscriptions.has(message.topic)) this.deliver(outcome)
    const author = outcome.message.type === 'signed' ? outcome.message.from : undefined
    this.#flood(message, peer.peerId, author)
  }

  /** Sends `message` to the topic's subscribers but `source` and `author`; returns who got it. */
  #flood (message: RPCMessage, source: PeerId, author?: PeerId): PeerId[] {
    const targets: PubSubPeer[] = []
    for (const peer of this.subscribersOf(message.topic)) {
      if (peer.peerId.equals(source) || (author != null && peer.peerId.equals(author))) continue
      targets.push(peer)
    }
    if (targets.length === 0) return []
    // one encoding for every peer (the message's own bytes are reused as they are)
    return this.sendFrame(targets, encodeRpcFrame({ subscriptions: [], messages: [message] }))
  }
}
