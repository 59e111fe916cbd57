/**
 * Structural compatibility with @libp2p/interface-internal v3. The checks are
 * made by the compiler: each `assign` line compiles only when the value's type
 * is assignable to the target type.
 */
import { expect } from 'chai'
import type * as official from '@libp2p/interface-internal'
import type * as ours from '../src/index.js'

function assign<To> (value: To): To { return value }
function valueOf<T> (): T { return undefined as unknown as T }

describe('compatibility with @libp2p/interface-internal v3', () => {
  it('our interfaces are assignable to the official ones', () => {
    assign<official.Registrar>(valueOf<ours.Registrar>())
    assign<official.TransportManager>(valueOf<ours.TransportManager>())
    assign<official.AddressManager>(valueOf<ours.AddressManager>())
    assign<official.RandomWalk>(valueOf<ours.RandomWalk>())
    // the official PeerMap is a class with a private field, so only a PeerMap
    // made by @libp2p/peer-collections satisfies it; everything else matches
    assign<Omit<official.ConnectionManager, 'getConnectionsMap'>>(valueOf<ours.ConnectionManager>())
    // @ts-expect-error the official PeerMap class is nominal (private field)
    assign<official.ConnectionManager>(valueOf<ours.ConnectionManager>())
    expect(true).to.equal(true)
  })

  it('the official interfaces are assignable to ours', () => {
    assign<ours.Registrar>(valueOf<official.Registrar>())
    assign<ours.TransportManager>(valueOf<official.TransportManager>())
    assign<ours.AddressManager>(valueOf<official.AddressManager>())
    assign<ours.RandomWalk>(valueOf<official.RandomWalk>())
    assign<ours.ConnectionManager>(valueOf<official.ConnectionManager>())
    expect(true).to.equal(true)
  })
})
