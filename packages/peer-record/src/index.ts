/**
 * @packageDocumentation
 *
 * Signed envelopes (libp2p RFC 0002) and peer records (RFC 0003).
 *
 * A {@link RecordEnvelope} carries a payload signed by a peer under a domain
 * string, so a signature made for one purpose is never valid for another. A
 * {@link PeerRecord} is the payload peers use to publish their own listen
 * addresses: sealed in an envelope with the peer's key, the addresses become
 * "certified" for whoever receives them, however many hands they pass.
 *
 * @example
 *
 * ```TypeScript
 * import { PeerRecord, RecordEnvelope, openPeerRecord } from '@ts-libp2p/peer-record'
 *
 * const record = new PeerRecord({ peerId, multiaddrs: [multiaddr('/ip4/192.0.2.1/tcp/4001')] })
 * const bytes = (await RecordEnvelope.seal(record, privateKey)).marshal()
 * const { record: opened } = await openPeerRecord(bytes) // signature, payload type and signer checked
 * ```
 */

export { RecordEnvelope, signaturePayload } from './envelope.js'
export type { RecordEnvelopeInit } from './envelope.js'
export { PeerRecord, openPeerRecord, timestampSeq } from './peer-record.js'
export type { PeerRecordInit, OpenedPeerRecord } from './peer-record.js'
export * from './errors.js'
export * from './constants.js'
