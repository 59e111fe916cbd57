import type { Logger, AbortOptions } from './index.js'
import type { StreamCloseEvent, StreamMessageEvent } from './events.js'
import type { TypedEventTarget } from 'main-event'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Who opened the stream or connection. */
export type MessageStreamDirection = 'inbound' | 'outbound'
/** The overall state: open (also while half-closed), closing (a local close is flushing), closed, aborted locally, or reset by the remote. */
export type MessageStreamStatus = 'open' | 'closing' | 'closed' | 'aborted' | 'reset'
/** The read side: delivering data, paused by the consumer, ending, or ended. */
export type MessageStreamReadStatus = 'readable' | 'paused' | 'closing' | 'closed'
/** The write side: accepting data, flushing before close, or closed. */
export type MessageStreamWriteStatus = 'writable' | 'closing' | 'closed'

/** When things happened, in ms since the epoch. */
export interface MessageStreamTimeline {
  /** When the stream opened. */
  open: number
  /** When it closed, if it has. */
  close?: number
}

/** The events a message stream dispatches. */
export interface MessageStreamEvents {
  /** Bytes arrived (only while no async iterator is reading). */
  message: StreamMessageEvent
  /** The write buffer emptied after `send()` returned false. */
  drain: Event
  /** The stream finished, cleanly or not. */
  close: StreamCloseEvent
  /** The remote closed its write side: no more data will arrive. */
  remoteCloseWrite: Event
  /** All received data has been read. */
  end: Event
  /** Nothing was sent or received for `inactivityTimeout` ms. */
  idle: Event
}

/**
 * A duplex stream of byte messages: the shape shared by raw connections
 * (MultiaddrConnection), encrypted channels and muxed streams.
 *
 * Writing: `send()` queues bytes and returns false when the caller should wait
 * for the `drain` event (or `onDrain()`) before sending more; that is how
 * backpressure travels from the socket or the muxer's window to the writer.
 *
 * Reading: iterate it with `for await`, or listen for `message` events.
 * `pause()` stops delivery (and lets the transport stop reading the socket);
 * `resume()` starts it again.
 */
export interface MessageStream<Timeline extends MessageStreamTimeline = MessageStreamTimeline> extends TypedEventTarget<MessageStreamEvents>, AsyncIterable<Uint8Array | Uint8ArrayList> {
  /** The overall state. */
  status: MessageStreamStatus
  /** When things happened. */
  timeline: Timeline
  /** A logger scoped to this stream. */
  log: Logger
  /** Who opened it. */
  direction: MessageStreamDirection
  /** Bytes that may wait unread before the stream is aborted with a StreamBufferError. */
  maxReadBufferLength: number
  /** Bytes that may wait unsent before `send()` throws a StreamBufferError. */
  maxWriteBufferLength?: number
  /** Close the stream after this many ms without traffic (0 disables). */
  inactivityTimeout: number
  /** True after `send()` returned false and until `drain`. */
  writableNeedsDrain: boolean
  /** True when the remote closed its write side and every byte has been read. */
  readonly readableEnded: boolean
  /** Bytes received but not yet read. */
  readBufferLength: number
  /** Bytes queued but not yet sent. */
  writeBufferLength: number
  /**
   * Queues bytes for sending. Returns false when the caller should wait for
   * `drain` before sending more. Throws StreamStateError once the write side is closed.
   */
  send(data: Uint8Array | Uint8ArrayList): boolean
  /** Sends everything queued, closes the write side and waits for the stream to finish. */
  close(options?: AbortOptions): Promise<void>
  /** Ends the stream at once, discarding buffers, and tells the remote (a reset). */
  abort(err: Error): void
  /** Stops delivering received data until `resume()`. */
  pause(): void
  /** Delivers received data again after `pause()`. */
  resume(): void
  /** Adds received bytes to the end of the read buffer (used by implementations). */
  push(buf: Uint8Array | Uint8ArrayList): void
  /** Puts bytes back at the front of the read buffer, e.g. bytes read past a handshake. */
  unshift(data: Uint8Array | Uint8ArrayList): void
  /** Resolves when the write buffer can take more data. */
  onDrain(options?: AbortOptions): Promise<void>
}
