import type { ConnectionGater, PeerId } from '@ts-libp2p/interface'

/** The side of a {@link Partition} a node is on. */
export type PartitionSide = 'a' | 'b'

/** What a {@link Partition}'s gater refuses while the partition is on. */
export type PartitionGater = Required<Pick<ConnectionGater, 'denyDialPeer' | 'denyInboundEncryptedConnection' | 'denyOutboundEncryptedConnection'>>

/**
 * Two sides of an in-process test network and the connection gaters that keep
 * them apart: while {@link partitioned} is true a node refuses to dial, and
 * refuses connections from and to, any peer of the other side. Closing the
 * connections that already cross is the test's job (hang up), as is dialling
 * a link again after the heal.
 */
export class Partition {
  /** Whether the gaters refuse cross-side dials and connections. */
  partitioned = false
  readonly #sides = new Map<string, PartitionSide>()

  /** A gater for a node whose peer id `self()` returns once the node exists. */
  gater (self: () => PeerId | undefined): PartitionGater {
    const cross = async (peer: PeerId): Promise<boolean> => {
      const me = self()
      return this.partitioned && me != null && this.#sides.get(me.toString()) !== this.#sides.get(peer.toString())
    }
    return { denyDialPeer: cross, denyInboundEncryptedConnection: cross, denyOutboundEncryptedConnection: cross }
  }

  /**
   * Makes three nodes on each side with `make(gater)`, links each side as a
   * triangle and the two sides by one link (a[0] to b[0]) with `connect`.
   */
  async build<N extends { peerId: PeerId }> (make: (gater: PartitionGater) => Promise<N>, connect: (x: N, y: N) => Promise<void>): Promise<{ a: N[], b: N[] }> {
    const node = async (side: PartitionSide): Promise<N> => {
      let id: PeerId | undefined
      const n = await make(this.gater(() => id))
      id = n.peerId
      this.#sides.set(n.peerId.toString(), side)
      return n
    }
    const a = [await node('a'), await node('a'), await node('a')]
    const b = [await node('b'), await node('b'), await node('b')]
    for (const group of [a, b]) {
      await connect(group[0], group[1])
      await connect(group[1], group[2])
      await connect(group[2], group[0])
    }
    await connect(a[0], b[0])
    return { a, b }
  }
}
