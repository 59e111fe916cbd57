import { InvalidMessageError } from '@ts-libp2p/interface'
import { lpStream } from '@ts-libp2p/utils'
import { MAX_MESSAGES, MAX_MESSAGE_SIZE } from './constants.js'
import { MessageTooLargeError } from './errors.js'
import { Identify as pb } from './pb/message.js'
import type { AbortOptions, MessageStream } from '@ts-libp2p/interface'

/**
 * The Identify message of identify/README.md (with RFC 0003's
 * `signedPeerRecord`). Optional fields are absent when the peer did not send
 * them, so a push can be told apart from "set to empty".
 */
export interface IdentifyMessage {
  protocolVersion?: string
  agentVersion?: string
  /** The peer's public key in its protobuf form (peer-ids spec). */
  publicKey?: Uint8Array
  listenAddrs: Uint8Array[]
  observedAddr?: Uint8Array
  protocols: string[]
  /** A marshalled signed envelope carrying a peer record (RFC 0003). */
  signedPeerRecord?: Uint8Array
}

const OPTIONAL = ['protocolVersion', 'agentVersion', 'publicKey', 'observedAddr', 'signedPeerRecord'] as const

/** The protobuf bytes of `message` (without a length prefix). */
export function encodeIdentify (message: IdentifyMessage): Uint8Array {
  return pb.encode(message).finish()
}

/** Parses one Identify protobuf; InvalidMessageError when it is not one. */
export function decodeIdentify (bytes: Uint8Array): IdentifyMessage {
  let decoded: pb
  try {
    decoded = pb.decode(bytes)
  } catch (err: any) {
    throw new InvalidMessageError(`Could not decode an identify message: ${String(err?.message ?? err)}`)
  }
  const message: IdentifyMessage = {
    listenAddrs: [...decoded.listenAddrs],
    protocols: [...decoded.protocols]
  }
  for (const field of OPTIONAL) {
    // the generated class keeps defaults on its prototype: only own fields were on the wire
    if (Object.hasOwn(decoded, field)) (message as any)[field] = decoded[field]
  }
  return message
}

/** Protobuf merge semantics: later scalars win, repeated fields append. */
export function mergeIdentify (into: IdentifyMessage, from: IdentifyMessage): IdentifyMessage {
  into.listenAddrs.push(...from.listenAddrs)
  into.protocols.push(...from.protocols)
  for (const field of OPTIONAL) {
    if (from[field] != null) (into as any)[field] = from[field]
  }
  return into
}

/** Limits of {@link readIdentify}. */
export interface ReadIdentifyOptions extends AbortOptions {
  /** Bytes per frame. Default {@link MAX_MESSAGE_SIZE}. */
  maxMessageSize?: number
  /** Frames per stream. Default {@link MAX_MESSAGES}. */
  maxMessages?: number
}

/**
 * Reads length-prefixed Identify frames until the remote closes its write
 * side, and merges them (go-libp2p may split a large message in two). A
 * frame over `maxMessageSize`, or more than `maxMessages` frames, fail with
 * MessageTooLargeError; a stream that ends with no frame or inside one fails
 * with InvalidMessageError.
 */
export async function readIdentify (stream: MessageStream, options: ReadIdentifyOptions = {}): Promise<IdentifyMessage> {
  const maxMessageSize = options.maxMessageSize ?? MAX_MESSAGE_SIZE
  const maxMessages = options.maxMessages ?? MAX_MESSAGES
  // room for a frame and the start of the next one read ahead with it
  const lp = lpStream(stream, { maxDataLength: maxMessageSize, maxBufferSize: 2 * (maxMessageSize + 16) })
  let message: IdentifyMessage | undefined
  try {
    for (let frames = 0; ; frames++) {
      if (!await lp.bytes.fill(1, options)) break
      if (frames === maxMessages) {
        throw new MessageTooLargeError(`More than ${maxMessages} identify frames on one stream`)
      }
      const decoded = decodeIdentify((await lp.read(options)).subarray())
      message = message == null ? decoded : mergeIdentify(message, decoded)
    }
  } catch (err: any) {
    if (err?.name === 'InvalidDataLengthError' || err?.name === 'InvalidDataLengthLengthError' || err?.name === 'StreamBufferError') {
      throw new MessageTooLargeError(`An identify frame is over the ${maxMessageSize} byte limit: ${String(err.message)}`)
    }
    if (err?.name === 'UnexpectedEOFError') {
      throw new InvalidMessageError('The identify stream ended inside a frame')
    }
    throw err
  }
  if (message == null) throw new InvalidMessageError('The identify stream ended without a message')
  return message
}

/** Writes `message` as one length-prefixed frame (no size check: the reader has its own limit). */
export async function writeIdentify (stream: MessageStream, message: IdentifyMessage, options?: AbortOptions): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: Number.MAX_SAFE_INTEGER })
  await lp.write(encodeIdentify(message), options)
}
