import { peerIdFromString } from '@ts-libp2p/peer-id'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { DHT_NAMESPACE, MAX_DHT_VALUE_SIZE, MAX_PUBSUB_MESSAGE_SIZE } from './constants.js'
import { UsageError } from './errors.js'
import type { ControlOp, ControlRequest } from './control.js'
import type { Output } from './output.js'
import type { CliNode } from './stack.js'
import type { Message } from '@ts-libp2p/interface'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * The DHT key for a key given by the user: a key starting with `/` is used as it is (its namespace needs a
 * validator on the nodes that store it: `/ts-libp2p/`, `/pk/`, `/ipns/`); any other is put under
 * `/ts-libp2p/`.
 */
export function dhtKey (key: string): string {
  if (key === '') throw new UsageError('a DHT key is not empty')
  return key.startsWith('/') ? key : `/${DHT_NAMESPACE}/${key}`
}

/** A DHT value given by the user, as bytes; refused over {@link MAX_DHT_VALUE_SIZE}. */
export function dhtValue (value: string): Uint8Array {
  const bytes = encoder.encode(value)
  if (bytes.byteLength > MAX_DHT_VALUE_SIZE) throw new UsageError(`a DHT value is at most ${MAX_DHT_VALUE_SIZE} bytes, this one has ${bytes.byteLength}`)
  return bytes
}

/** Parses a CID given by the user; throws UsageError. */
export function parseCid (text: string): CID {
  try {
    return CID.parse(text)
  } catch (err: any) {
    throw new UsageError(`"${text}" is not a CID: ${err.message}`)
  }
}

/** The CID (v1, raw codec, sha2-256) of some content, as `ipfs add --cid-version 1 --raw-leaves` gives it. */
export async function cidOf (content: string | Uint8Array): Promise<CID> {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content
  return CID.createV1(raw.code, await sha256.digest(bytes))
}

/** A received pubsub message as the command prints it. */
export function describeMessage (message: Message): Record<string, unknown> {
  const data = message.data.byteLength > MAX_PUBSUB_MESSAGE_SIZE ? message.data.subarray(0, MAX_PUBSUB_MESSAGE_SIZE) : message.data
  return {
    topic: message.topic,
    from: message.type === 'signed' ? message.from.toString() : undefined,
    seqno: message.type === 'signed' ? message.sequenceNumber.toString() : undefined,
    data: decoder.decode(data),
    size: message.data.byteLength
  }
}

/** Prints every pubsub message the node receives; returns a function that stops printing. */
export function printPubsubMessages (node: CliNode, output: Output, human: (m: Record<string, unknown>) => string): () => void {
  const pubsub = node.services.pubsub
  if (pubsub == null) return () => {}
  const onMessage = (evt: CustomEvent<Message>): void => {
    const m = describeMessage(evt.detail)
    output.result(human(m), { event: 'pubsub:message', ...m })
  }
  pubsub.addEventListener('message', onMessage)
  return () => { pubsub.removeEventListener('message', onMessage) }
}

function str (request: ControlRequest, key: string): string {
  const value = request[key]
  if (typeof value !== 'string' || value === '') throw new TypeError(`"${key}" must be a non-empty string`)
  return value
}

/** Collects at most `max` items of an async iterable. */
async function take <T> (source: AsyncIterable<T>, max: number): Promise<T[]> {
  const out: T[] = []
  for await (const item of source) {
    out.push(item)
    if (out.length >= max) break
  }
  return out
}

/** The most providers one find-providers request returns (kad-dht's own default limit is 20). */
const MAX_PROVIDERS = 20

/** The control operations of the node's optional services (dht, pubsub), for those it runs. */
export function serviceOps (node: CliNode): Record<string, ControlOp> {
  const ops: Record<string, ControlOp> = {}
  const dht = node.services.dht
  if (dht != null) {
    ops['dht-status'] = async () => ({ mode: dht.getMode(), routingTable: dht.routingTable.size, stats: dht.getStats() })
    ops['dht-put'] = async (_node, request, signal) => {
      const key = dhtKey(str(request, 'key'))
      let accepted: number | undefined
      await dht.put(encoder.encode(key), dhtValue(str(request, 'value')), {
        signal,
        onProgress: (evt: any) => { if (evt.type === 'kad-dht:put:done') accepted = evt.detail?.accepted }
      })
      return { key, peers: accepted }
    }
    ops['dht-get'] = async (_node, request, signal) => {
      const key = dhtKey(str(request, 'key'))
      return { key, value: decoder.decode(await dht.get(encoder.encode(key), { signal })) }
    }
    ops['dht-provide'] = async (_node, request, signal) => {
      const cid = typeof request.content === 'string' ? await cidOf(request.content) : parseCid(str(request, 'cid'))
      await dht.provide(cid, { signal })
      return { cid: cid.toString() }
    }
    ops['dht-find-providers'] = async (_node, request, signal) => {
      const cid = parseCid(str(request, 'cid'))
      const providers = await take(dht.findProviders(cid, { signal }), MAX_PROVIDERS)
      return { cid: cid.toString(), providers: providers.map(p => p.id.toString()), multiaddrs: providers.map(p => p.multiaddrs.map(String)) }
    }
    ops['dht-find-peer'] = async (_node, request, signal) => {
      const before = dht.getStats().queries
      const info = await dht.findPeer(peerIdFromString(str(request, 'peer')), { signal })
      const stats = dht.getStats()
      // whether a lookup ran (no live connection to the peer) and how many hops it took
      const lookup = stats.queries > before
      return { peer: info.id.toString(), multiaddrs: info.multiaddrs.map(String), lookup, hops: lookup ? stats.lastHops : 0 }
    }
  }
  const pubsub = node.services.pubsub
  if (pubsub != null) {
    ops['pubsub-subscribe'] = async (_node, request) => { pubsub.subscribe(str(request, 'topic')); return { topics: pubsub.getTopics() } }
    ops['pubsub-unsubscribe'] = async (_node, request) => { pubsub.unsubscribe(str(request, 'topic')); return { topics: pubsub.getTopics() } }
    ops['pubsub-publish'] = async (_node, request) => {
      const data = encoder.encode(str(request, 'data'))
      if (data.byteLength > MAX_PUBSUB_MESSAGE_SIZE) throw new RangeError(`a message is at most ${MAX_PUBSUB_MESSAGE_SIZE} bytes`)
      const result = await pubsub.publish(str(request, 'topic'), data)
      return { recipients: result.recipients.map(String) }
    }
    ops['pubsub-status'] = async (_node, request) => {
      const topic = str(request, 'topic')
      return { topics: pubsub.getTopics(), peers: pubsub.getPeers().length, subscribers: pubsub.getSubscribers(topic).length, mesh: pubsub.getMeshPeers(topic).length }
    }
  }
  return ops
}
