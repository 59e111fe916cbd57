import { publicKeyFromProtobuf } from '@ts-libp2p/crypto'
import { InvalidMessageError } from '@ts-libp2p/interface'
import { peerIdFromPublicKey } from '@ts-libp2p/peer-id'
import { openPeerRecord } from '@ts-libp2p/peer-record'
import { multiaddr } from '@multiformats/multiaddr'
import { AGENT_VERSION_KEY, MAX_LISTEN_ADDRS, MAX_PROTOCOLS, MAX_VERSION_LENGTH, PROTOCOL_VERSION_KEY } from './constants.js'
import { PublicKeyMismatchError } from './errors.js'
import type { IdentifyMessage } from './message.js'
import type { AbortOptions, Connection, IdentifyResult, Logger, PeerData, PeerStore, SignedPeerRecord } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What storing a received identify message needs. */
export interface ConsumeOptions extends AbortOptions {
  peerStore: Pick<PeerStore, 'patch' | 'merge' | 'consumePeerRecord'>
  log: Logger
  /**
   * True for an identify/push: empty fields mean "unchanged" (spec: "missing
   * fields should be ignored"), so an empty protocol list keeps what we had.
   */
  partial?: boolean
}

/**
 * A multiaddr from bytes, or undefined for empty or malformed bytes (one bad
 * address does not spoil the rest). The multiaddr parser is lenient with
 * bytes (a component length past the end is truncated, a value holding `/`
 * prints as extra components), so an address is kept only when its bytes and
 * its text form both come back to exactly what the peer sent: what we store
 * and show is what the peer said.
 */
export function toMultiaddr (bytes: Uint8Array | undefined): Multiaddr | undefined {
  if (bytes == null || bytes.byteLength === 0) return undefined
  try {
    const ma = multiaddr(bytes)
    if (!sameBytes(ma.bytes, bytes)) return undefined
    if (!sameBytes(multiaddr(ma.toString()).bytes, bytes)) return undefined
    return ma
  } catch {
    return undefined
  }
}

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

function truncate (value: string): string {
  return value.length > MAX_VERSION_LENGTH ? value.slice(0, MAX_VERSION_LENGTH) : value
}

/**
 * Checks an identify message received on `connection` and stores what it
 * says about the remote peer:
 *
 * - `publicKey` must be the key of the connection's remote peer id
 *   (PublicKeyMismatchError otherwise; the message is then not stored at all);
 * - a `signedPeerRecord` must verify under `libp2p-peer-record` and be the
 *   remote's own record: then the peer store consumes it (certified
 *   addresses). Otherwise it is ignored, and `listenAddrs` are stored as
 *   uncertified addresses, as go-libp2p does;
 * - `protocols` replace the stored ones, `agentVersion` and
 *   `protocolVersion` go to the metadata (`AgentVersion`, `ProtocolVersion`).
 *
 * Returns the IdentifyResult to announce as `peer:identify`.
 */
export async function consumeIdentify (message: IdentifyMessage, connection: Connection, options: ConsumeOptions): Promise<IdentifyResult> {
  const { peerStore, log } = options
  const remotePeer = connection.remotePeer
  const data: PeerData = {}

  if (message.publicKey != null) {
    let peerId
    try {
      data.publicKey = publicKeyFromProtobuf(message.publicKey)
      peerId = peerIdFromPublicKey(data.publicKey)
    } catch (err: any) {
      throw new InvalidMessageError(`${remotePeer} sent an identify public key that does not parse: ${String(err?.message ?? err)}`)
    }
    if (!peerId.equals(remotePeer)) {
      throw new PublicKeyMismatchError(`${remotePeer} sent the identify public key of ${peerId}`)
    }
  }

  const listenAddrs = message.listenAddrs.slice(0, MAX_LISTEN_ADDRS).map(toMultiaddr).filter((ma): ma is Multiaddr => ma != null)
  if (message.listenAddrs.length > MAX_LISTEN_ADDRS) log('%p sent %d listen addresses, keeping %d', remotePeer, message.listenAddrs.length, MAX_LISTEN_ADDRS)

  let signedPeerRecord: SignedPeerRecord | undefined
  if (message.signedPeerRecord != null) {
    try {
      const { record } = await openPeerRecord(message.signedPeerRecord, options)
      if (!record.peerId.equals(remotePeer)) {
        throw new InvalidMessageError(`the record belongs to ${record.peerId}`)
      }
      signedPeerRecord = { addresses: record.multiaddrs, seq: record.seq }
    } catch (err: any) {
      if (options.signal?.aborted === true) throw err
      log('ignoring the signed peer record of %p - %e', remotePeer, err)
    }
  }

  if (message.protocols.length > 0 || options.partial !== true) {
    data.protocols = [...new Set(message.protocols)].slice(0, MAX_PROTOCOLS)
  }
  if (signedPeerRecord == null && listenAddrs.length > 0) {
    data.addresses = listenAddrs.map(multiaddr => ({ multiaddr, isCertified: false }))
  }
  // the addresses go in before the protocols: a service that reacts to the
  // protocols (a DHT adding the peer to its table) finds the peer dialable
  if (signedPeerRecord != null && message.signedPeerRecord != null) {
    // false only for a record not newer than the stored one: the stored one stays
    const consumed = await peerStore.consumePeerRecord(message.signedPeerRecord, { ...options, expectedPeer: remotePeer })
    log.trace('peer record of %p seq %s %s', remotePeer, signedPeerRecord.seq, consumed ? 'stored' : 'not newer than the stored one')
  }
  await peerStore.patch(remotePeer, data, options)

  const metadata: Record<string, Uint8Array> = {}
  const encoder = new TextEncoder()
  if (message.agentVersion != null) metadata[AGENT_VERSION_KEY] = encoder.encode(truncate(message.agentVersion))
  if (message.protocolVersion != null) metadata[PROTOCOL_VERSION_KEY] = encoder.encode(truncate(message.protocolVersion))
  if (Object.keys(metadata).length > 0) await peerStore.merge(remotePeer, { metadata }, options)

  return {
    peerId: remotePeer,
    listenAddrs,
    protocols: message.protocols,
    protocolVersion: message.protocolVersion,
    agentVersion: message.agentVersion,
    publicKey: message.publicKey,
    observedAddr: toMultiaddr(message.observedAddr),
    signedPeerRecord,
    connection
  }
}
