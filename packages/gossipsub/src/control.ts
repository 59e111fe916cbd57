/**
 * Received control messages (gossipsub v1.0 "Control Messages", v1.1
 * "PRUNE Backoff and Peer Exchange", "Spam Protection Measures", v1.2
 * IDONTWANT) and the PRUNEs we build, with peer exchange.
 */
import { peerIdFromMultihash } from '@ts-libp2p/peer-id'
import { msgIdToKey } from '@ts-libp2p/pubsub'
import * as Digest from 'multiformats/hashes/digest'
import { CONNECT_TIMEOUT, MAX_IDONTWANT_LENGTH, MAX_PENDING_CONNECTIONS, PRUNE_PEERS } from './constants.js'
import { supportsIDontWant, supportsPX } from './features.js'
import { handleIHave } from './gossip.js'
import { shuffle } from './mesh.js'
import type { GossipSub, PeerState } from './gossipsub.js'
import type { ControlGraft, ControlIDontWant, ControlIHave, ControlIWant, ControlMessage, ControlPrune, PeerInfo, RPC, RPCMessage } from '@ts-libp2p/pubsub'

/** Handles the control part of an RPC from `peer`, and sends what it calls for (IWANT, messages, PRUNE). */
export function handleControl (gs: GossipSub, peer: PeerState, control: ControlMessage): void {
  const iwant = control.ihave != null && control.ihave.length > 0 ? handleIHaves(gs, peer, control.ihave) : []
  const messages = control.iwant != null && control.iwant.length > 0 ? handleIWants(gs, peer, control.iwant) : []
  const prune = control.graft != null && control.graft.length > 0 ? handleGrafts(gs, peer, control.graft) : []
  if (control.prune != null && control.prune.length > 0) handlePrunes(gs, peer, control.prune)
  if (control.idontwant != null && control.idontwant.length > 0) handleIDontWants(gs, peer, control.idontwant)
  if (iwant.length === 0 && messages.length === 0 && prune.length === 0) return
  const rpc: RPC = { subscriptions: [], messages }
  if (iwant.length > 0 || prune.length > 0) {
    rpc.control = {}
    if (iwant.length > 0) rpc.control.iwant = [{ messageIDs: iwant }]
    if (prune.length > 0) rpc.control.prune = prune
  }
  gs.sendRpc(peer, rpc)
}

/** IHAVE: ask for unseen advertised ids, within the v1.1 limits; ignored from peers below the gossip threshold. */
function handleIHaves (gs: GossipSub, peer: PeerState, ihaves: ControlIHave[]): Uint8Array[] {
  const c = gs.config
  if (gs.score.score(peer.key) < c.scoreThresholds.gossipThreshold) return []
  const input = ihaves.map(i => ({ topicID: i.topicID, messageIDs: i.messageIDs.map(msgIdToKey) }))
  const want = handleIHave(peer.key, input, gs.ihaveLimits, c, t => gs.mesh.has(t), id => gs.seen.has(id), c.random)
  if (want.length === 0) return []
  gs.promises.add(peer.key, want, c.random)
  gs.metrics?.iwantSent.increment(want.length)
  return want.map(id => fromKeyBytes(id))
}

/**
 * IWANT: answer from the message cache, at most `gossipRetransmission`
 * times per message and peer, skipping ids the peer said it does not want;
 * ignored from peers below the gossip threshold.
 */
function handleIWants (gs: GossipSub, peer: PeerState, iwants: ControlIWant[]): RPCMessage[] {
  const c = gs.config
  if (gs.score.score(peer.key) < c.scoreThresholds.gossipThreshold) return []
  const out: RPCMessage[] = []
  const asked = new Set<string>()
  for (const iwant of iwants) {
    for (const id of iwant.messageIDs) {
      if (asked.size >= c.maxIHaveLength) break
      const key = msgIdToKey(id)
      if (asked.has(key)) continue
      asked.add(key)
      if (peer.idontwant.has(key)) continue
      const entry = gs.mcache.getForPeer(key, peer.key)
      if (entry == null) continue
      if (entry.count > c.gossipRetransmission) {
        gs.metrics?.iwantIgnored.increment()
        continue
      }
      out.push(entry.message)
    }
  }
  return out
}

/**
 * GRAFT (v1.0, with the v1.1 rules): ignored for topics we are not in;
 * refused with PRUNE from direct peers, negative-score peers, peers in
 * backoff (a P₇ penalty, two if within the graft flood threshold) and,
 * when the mesh is full, inbound peers.
 */
function handleGrafts (gs: GossipSub, peer: PeerState, grafts: ControlGraft[]): ControlPrune[] {
  const c = gs.config
  const prunes: ControlPrune[] = []
  const refuse = (topic: string, px: boolean): void => {
    prunes.push(...buildPrunes(gs, peer, topic, px, c.pruneBackoff))
  }
  const now = Date.now()
  for (const { topicID: topic } of grafts) {
    if (topic == null) continue
    const mesh = gs.mesh.get(topic)
    // v1.1 "Spam Protection Measures": GRAFTs for unknown topics are ignored
    if (mesh == null) continue
    if (mesh.has(peer.key)) continue
    if (gs.direct.has(peer.key)) {
      gs.log('GRAFT from direct peer %p on %s refused', peer.id, topic)
      refuse(topic, false)
      continue
    }
    const expiry = gs.backoff.expiry(topic, peer.key)
    if (expiry != null && expiry > now) {
      gs.score.addPenalty(peer.key, 1)
      // within graftFloodThreshold of our PRUNE: a second penalty
      if (expiry - c.pruneBackoff + c.graftFloodThreshold > now) gs.score.addPenalty(peer.key, 1)
      gs.backoff.add(topic, peer.key, c.pruneBackoff)
      refuse(topic, false)
      continue
    }
    if (gs.score.score(peer.key) < 0) {
      gs.backoff.add(topic, peer.key, c.pruneBackoff)
      refuse(topic, false)
      continue
    }
    // v1.1 "Outbound Mesh Quotas": a full mesh accepts only outbound peers
    if (mesh.size >= c.Dhi && !peer.outbound) {
      gs.backoff.add(topic, peer.key, c.pruneBackoff)
      refuse(topic, true)
      continue
    }
    mesh.add(peer.key)
    gs.score.graft(peer.key, topic)
    gs.safeDispatchEvent('gossipsub:graft', { detail: { peerId: peer.id, topic, direction: 'inbound' } })
  }
  return prunes
}

/** PRUNE: leave the mesh, back off for the given (or default) time, and follow PX from a peer we trust enough. */
function handlePrunes (gs: GossipSub, peer: PeerState, prunes: ControlPrune[]): void {
  const c = gs.config
  for (const prune of prunes) {
    const topic = prune.topicID
    if (topic == null) continue
    if (gs.mesh.get(topic)?.delete(peer.key) === true) {
      gs.score.prune(peer.key, topic)
      gs.safeDispatchEvent('gossipsub:prune', { detail: { peerId: peer.id, topic, direction: 'inbound' } })
    }
    const backoff = prune.backoff != null && prune.backoff > 0 ? Math.min(prune.backoff, 24 * 3600) * 1000 : c.pruneBackoff
    gs.backoff.add(topic, peer.key, backoff)
    const px = prune.peers ?? []
    if (px.length === 0) continue
    // v1.1: PX only from peers whose score reaches the accept-PX threshold
    if (gs.score.score(peer.key) < c.scoreThresholds.acceptPXThreshold) {
      gs.metrics?.pxIgnored.increment()
      continue
    }
    void connectPX(gs, px.slice(0, PRUNE_PEERS))
  }
}

/** Dials PX peers (bounded in number and time), storing their signed peer records first. */
async function connectPX (gs: GossipSub, peers: PeerInfo[]): Promise<void> {
  const { peerStore, connectionManager } = gs.components
  await Promise.all(peers.map(async (info) => {
    if (info.peerID == null || gs.pxPending >= MAX_PENDING_CONNECTIONS) return
    gs.pxPending++
    try {
      const id = peerIdFromMultihash(Digest.decode(info.peerID))
      if (id.equals(gs.components.peerId) || gs.peers.has(id.toString())) return
      if (info.signedPeerRecord != null) {
        // a record that does not verify or is not this peer's is ignored (consumePeerRecord checks both)
        if (!await peerStore.consumePeerRecord(info.signedPeerRecord, { expectedPeer: id })) return
      }
      await connectionManager.openConnection(id, { signal: AbortSignal.timeout(CONNECT_TIMEOUT) })
      gs.metrics?.pxConnected.increment()
    } catch (err: any) {
      gs.log('could not connect to a PX peer - %e', err)
    } finally {
      gs.pxPending--
    }
  }))
}

/** IDONTWANT (v1.2): remember ids the peer has, bounded per heartbeat and per RPC. */
function handleIDontWants (gs: GossipSub, peer: PeerState, idontwants: ControlIDontWant[]): void {
  const max = gs.config.maxIDontWantMessages
  for (const idw of idontwants.slice(0, MAX_IDONTWANT_LENGTH)) {
    for (const id of idw.messageIDs) {
      if (peer.idontwantThisHeartbeat >= max) {
        gs.metrics?.idontwantIgnored.increment()
        return
      }
      peer.idontwantThisHeartbeat++
      const key = msgIdToKey(id)
      if (!peer.idontwant.has(key)) peer.idontwant.set(key, gs.tick)
    }
  }
}

/** Sends IDONTWANT for `key` to the mesh peers of `topic` on v1.2+, except those in `skip`. */
export function sendIDontWant (gs: GossipSub, topic: string, id: Uint8Array, skip: Set<string>): void {
  for (const p of gs.mesh.get(topic) ?? []) {
    if (skip.has(p)) continue
    const peer = gs.peers.get(p)
    if (peer == null || !supportsIDontWant(peer.protocol)) continue
    gs.sendRpc(peer, { subscriptions: [], messages: [], control: { idontwant: [{ messageIDs: [id] }] } })
    gs.metrics?.idontwantSent.increment()
  }
}

/** The PRUNE for `peer` on `topic`: backoff and PX only for v1.1+ peers, PX only when enabled and wanted. */
function buildPrunes (gs: GossipSub, peer: PeerState, topic: string, px: boolean, backoffMs: number): ControlPrune[] {
  if (!supportsPX(peer.protocol)) return [{ topicID: topic }]
  const prune: ControlPrune = { topicID: topic, backoff: Math.ceil(backoffMs / 1000) }
  if (px && gs.config.doPX) {
    const candidates = [...gs.topics.get(topic) ?? []].filter(p => p !== peer.key && gs.score.score(p) >= 0)
    prune.peers = shuffle(candidates, gs.config.random).slice(0, PRUNE_PEERS).map(p => ({ peerID: gs.peers.get(p)?.id.toMultihash().bytes }))
  }
  return [prune]
}

/**
 * The heartbeat's GRAFT and PRUNE RPCs per peer. PX entries get the
 * peers' signed peer records from the peer store where it has them.
 */
export async function makeGraftPruneRpcs (gs: GossipSub, toGraft: Map<string, string[]>, toPrune: Map<string, string[]>, noPX: Set<string>, backoffMs: number): Promise<Map<string, RPC>> {
  const rpcs = new Map<string, RPC>()
  const control = (p: string): ControlMessage => {
    let rpc = rpcs.get(p)
    if (rpc == null) { rpc = { subscriptions: [], messages: [] }; rpcs.set(p, rpc) }
    rpc.control ??= {}
    return rpc.control
  }
  for (const [p, topics] of toGraft) {
    const c = control(p)
    c.graft = topics.map(topicID => ({ topicID }))
  }
  const records = new Map<string, Uint8Array | undefined>()
  for (const [p, topics] of toPrune) {
    const peer = gs.peers.get(p)
    if (peer == null) continue
    const c = control(p)
    c.prune = topics.flatMap(topic => buildPrunes(gs, peer, topic, !noPX.has(p), backoffMs))
    for (const prune of c.prune) {
      for (const info of prune.peers ?? []) {
        if (info.peerID == null) continue
        const key = msgIdToKey(info.peerID)
        if (!records.has(key)) records.set(key, await signedRecordOf(gs, info.peerID))
        info.signedPeerRecord = records.get(key)
      }
    }
  }
  return rpcs
}

async function signedRecordOf (gs: GossipSub, multihash: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    const id = peerIdFromMultihash(Digest.decode(multihash))
    const peer = await gs.components.peerStore.get(id)
    return peer.peerRecordEnvelope
  } catch {
    return undefined
  }
}

function fromKeyBytes (key: string): Uint8Array {
  const out = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) out[i] = key.charCodeAt(i)
  return out
}
