import { lpStream } from '@ts-libp2p/utils'
import { MAX_MESSAGE_SIZE } from './constants.js'
import { InvalidDHTMessageError } from './errors.js'
import { Message as pb } from './pb/dht.js'
import type { AbortOptions, MessageStream } from '@ts-libp2p/interface'

/** The spec's `MessageType` ("RPC messages"). */
export const MessageType = {
  PUT_VALUE: 0,
  GET_VALUE: 1,
  ADD_PROVIDER: 2,
  GET_PROVIDERS: 3,
  FIND_NODE: 4,
  PING: 5
} as const
export type MessageType = typeof MessageType[keyof typeof MessageType]

/** The spec's `ConnectionType`: what the sender knows of its connection to a peer. */
export const ConnectionType = {
  NOT_CONNECTED: 0,
  CONNECTED: 1,
  CAN_CONNECT: 2,
  CANNOT_CONNECT: 3
} as const
export type ConnectionType = typeof ConnectionType[keyof typeof ConnectionType]

const TYPE_NAMES = ['PUT_VALUE', 'GET_VALUE', 'ADD_PROVIDER', 'GET_PROVIDERS', 'FIND_NODE', 'PING']

/** The name of a message type, for logs and errors. */
export function messageTypeName (type: number): string {
  return TYPE_NAMES[type] ?? `UNKNOWN(${type})`
}

/** A peer as carried in `closerPeers` / `providerPeers`: raw bytes, parsed by the caller. */
export interface WirePeer {
  /** The peer id's multihash bytes. */
  id: Uint8Array
  /** Multiaddr bytes. */
  addrs: Uint8Array[]
  connection: ConnectionType
}

/** A DHT record (`Record` in the spec). */
export interface WireRecord {
  key: Uint8Array
  value: Uint8Array
  /** RFC 3339, set by the receiver; empty when absent. */
  timeReceived: string
}

/** One DHT message. Empty arrays stand for absent repeated fields. */
export interface DHTMessage {
  type: MessageType
  key?: Uint8Array
  record?: WireRecord
  closerPeers: WirePeer[]
  providerPeers: WirePeer[]
}

/** The protobuf bytes of `message`, without the length prefix. */
export function encodeMessage (message: DHTMessage): Uint8Array {
  return pb.encode({
    type: message.type,
    key: message.key,
    record: message.record == null
      ? undefined
      : { key: message.record.key, value: message.record.value, timeReceived: message.record.timeReceived === '' ? undefined : message.record.timeReceived },
    closerPeers: message.closerPeers.map(encodePeer),
    providerPeers: message.providerPeers.map(encodePeer)
  }).finish()
}

function encodePeer (peer: WirePeer): pb.Peer.$Properties {
  return { id: peer.id, addrs: peer.addrs, connection: peer.connection === ConnectionType.NOT_CONNECTED ? undefined : peer.connection }
}

/**
 * Parses one DHT message. Throws {@link InvalidDHTMessageError} when the
 * bytes are not a protobuf of the spec's `Message`, or carry an unknown
 * message type. Unknown connection types read as NOT_CONNECTED (the field
 * is advisory).
 */
export function decodeMessage (bytes: Uint8Array): DHTMessage {
  let decoded: ReturnType<typeof pb.decode>
  try {
    decoded = pb.decode(bytes)
  } catch (err: any) {
    throw new InvalidDHTMessageError(`Could not decode a DHT message of ${bytes.byteLength} bytes: ${String(err?.message ?? err)}`)
  }
  const type = Number(decoded.type ?? 0)
  if (!Number.isInteger(type) || type < 0 || type >= TYPE_NAMES.length) {
    throw new InvalidDHTMessageError(`Unknown DHT message type ${type}`)
  }
  const message: DHTMessage = {
    type: type as MessageType,
    closerPeers: decoded.closerPeers.map(decodePeer),
    providerPeers: decoded.providerPeers.map(decodePeer)
  }
  // the generated class keeps defaults on its prototype: only own fields were on the wire
  if (Object.hasOwn(decoded, 'key') && decoded.key != null) message.key = decoded.key
  if (Object.hasOwn(decoded, 'record') && decoded.record != null) {
    const r = decoded.record
    message.record = {
      key: r.key ?? new Uint8Array(0),
      value: r.value ?? new Uint8Array(0),
      timeReceived: r.timeReceived ?? ''
    }
  }
  return message
}

function decodePeer (peer: pb.Peer.$Properties): WirePeer {
  const connection = Number(peer.connection ?? 0)
  return {
    id: peer.id ?? new Uint8Array(0),
    addrs: peer.addrs ?? [],
    connection: (connection >= 0 && connection <= 3 ? connection : 0) as ConnectionType
  }
}

/** Reads and writes length-prefixed DHT messages on one stream. */
export interface MessageChannel {
  /** Reads the next message; InvalidDataLengthError over the size limit, UnexpectedEOFError at the end. */
  read(options?: AbortOptions): Promise<DHTMessage>
  /** The encoded size of the message `read()` returned last (0 before the first). */
  readonly lastReadBytes: number
  write(message: DHTMessage, options?: AbortOptions): Promise<void>
}

/**
 * Frames DHT messages on `stream` with an unsigned-varint length prefix
 * (spec, "RPC messages"), refusing any frame over `maxMessageSize`.
 */
export function messageChannel (stream: MessageStream, maxMessageSize = MAX_MESSAGE_SIZE): MessageChannel {
  const lp = lpStream(stream, { maxDataLength: maxMessageSize })
  let lastReadBytes = 0
  return {
    get lastReadBytes () { return lastReadBytes },
    async read (options) {
      const frame = await lp.read(options)
      lastReadBytes = frame.byteLength
      return decodeMessage(frame.subarray())
    },
    async write (message, options) {
      await lp.write(encodeMessage(message), options)
    }
  }
}
