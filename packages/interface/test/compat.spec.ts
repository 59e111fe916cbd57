/**
 * Structural compatibility with @libp2p/interface v3, both ways.
 *
 * The assertions are made by the compiler: each `assign*` line only compiles
 * when the left type is assignable to the right one. `tsc -b` (and so
 * `npm test`) fails when either side drifts. The runtime part checks that the
 * brand symbols and error names are the very ones the official package uses.
 */
import * as official from '@libp2p/interface'
import { expect } from 'chai'
import * as ours from '../src/index.js'

/**
 * Compiles only when a value of type `From` may be assigned to `To` (an
 * ordinary assignment check, which also compares overloaded methods).
 */
function assign<To> (value: To): To { return value }
function valueOf<T> (): T { return undefined as unknown as T }

describe('compatibility with @libp2p/interface v3', () => {
  it('roles are assignable to the official ones', () => {
    // the checks are made by tsc; reaching here means they compiled
    assign<official.Stream>(valueOf<ours.Stream>())
    assign<official.MessageStream>(valueOf<ours.MessageStream>())
    assign<official.Connection>(valueOf<ours.Connection>())
    assign<official.MultiaddrConnection>(valueOf<ours.MultiaddrConnection>())
    assign<official.Transport>(valueOf<ours.Transport>())
    assign<official.Listener>(valueOf<ours.Listener>())
    assign<official.Upgrader>(valueOf<ours.Upgrader>())
    assign<official.ConnectionEncrypter>(valueOf<ours.ConnectionEncrypter>())
    assign<official.SecuredConnection>(valueOf<ours.SecuredConnection>())
    assign<official.StreamMuxerFactory>(valueOf<ours.StreamMuxerFactory>())
    assign<official.StreamMuxer>(valueOf<ours.StreamMuxer>())
    assign<official.PeerId>(valueOf<ours.PeerId>())
    assign<official.PublicKey>(valueOf<ours.PublicKey>())
    assign<official.PrivateKey>(valueOf<ours.PrivateKey>())
    assign<official.PeerStore>(valueOf<ours.PeerStore>())
    assign<official.ConnectionGater>(valueOf<ours.ConnectionGater>())
    assign<official.Metrics>(valueOf<ours.Metrics>())
    assign<official.Logger>(valueOf<ours.Logger>())
    assign<official.ComponentLogger>(valueOf<ours.ComponentLogger>())
    assign<official.ContentRouting>(valueOf<ours.ContentRouting>())
    assign<official.PeerRouting>(valueOf<ours.PeerRouting>())
    assign<official.PeerDiscovery>(valueOf<ours.PeerDiscovery>())
    assign<official.Topology>(valueOf<ours.Topology>())
    assign<official.Libp2p>(valueOf<ours.Libp2p>())
  })

  it('official roles are assignable to ours', () => {
    assign<ours.Stream>(valueOf<official.Stream>())
    assign<ours.MessageStream>(valueOf<official.MessageStream>())
    assign<ours.Connection>(valueOf<official.Connection>())
    assign<ours.MultiaddrConnection>(valueOf<official.MultiaddrConnection>())
    assign<ours.Transport>(valueOf<official.Transport>())
    assign<ours.Listener>(valueOf<official.Listener>())
    assign<ours.Upgrader>(valueOf<official.Upgrader>())
    assign<ours.ConnectionEncrypter>(valueOf<official.ConnectionEncrypter>())
    assign<ours.SecuredConnection>(valueOf<official.SecuredConnection>())
    assign<ours.StreamMuxerFactory>(valueOf<official.StreamMuxerFactory>())
    assign<ours.StreamMuxer>(valueOf<official.StreamMuxer>())
    assign<ours.PeerId>(valueOf<official.PeerId>())
    assign<ours.PublicKey>(valueOf<official.PublicKey>())
    assign<ours.PrivateKey>(valueOf<official.PrivateKey>())
    assign<ours.PeerStore>(valueOf<official.PeerStore>())
    assign<ours.ConnectionGater>(valueOf<official.ConnectionGater>())
    assign<ours.Metrics>(valueOf<official.Metrics>())
    assign<ours.Logger>(valueOf<official.Logger>())
    assign<ours.ComponentLogger>(valueOf<official.ComponentLogger>())
    assign<ours.ContentRouting>(valueOf<official.ContentRouting>())
    assign<ours.PeerRouting>(valueOf<official.PeerRouting>())
    assign<ours.PeerDiscovery>(valueOf<official.PeerDiscovery>())
    assign<ours.Topology>(valueOf<official.Topology>())
    assign<ours.Libp2p>(valueOf<official.Libp2p>())
  })

  it('a type that is not compatible is reported as such', () => {
    // guards the helper itself: these lines must fail to compile
    // @ts-expect-error a Stream is not a Transport
    assign<official.Transport>(valueOf<ours.Stream>())
    // @ts-expect-error protocol must be a string
    assign<official.StreamMuxerFactory>(valueOf<{ protocol: number, createStreamMuxer: official.StreamMuxerFactory['createStreamMuxer'] }>())
  })

  it('our brand symbols type-check as the roles\' keys (so classes can implement them)', () => {
    const transport: ours.Transport = {
      [ours.transportSymbol]: true,
      [Symbol.toStringTag]: 'example',
      dial: async () => { throw new ours.NotImplementedError() },
      createListener: () => { throw new ours.NotImplementedError() },
      listenFilter: (addrs) => addrs,
      dialFilter: (addrs) => addrs
    }
    assign<official.Transport>(transport)
    expect(ours.isTransport(transport)).to.equal(true)
    expect(official.isTransport(transport)).to.equal(true)
  })

  it('brand symbols are the same symbols at run time', () => {
    expect(ours.transportSymbol).to.equal(official.transportSymbol)
    expect(ours.peerIdSymbol).to.equal(official.peerIdSymbol)
    expect(ours.connectionSymbol).to.equal(official.connectionSymbol)
    expect(ours.contentRoutingSymbol).to.equal(official.contentRoutingSymbol)
    expect(ours.peerRoutingSymbol).to.equal(official.peerRoutingSymbol)
    expect(ours.peerDiscoverySymbol).to.equal(official.peerDiscoverySymbol)
    expect(ours.serviceCapabilities).to.equal(official.serviceCapabilities)
    expect(ours.serviceDependencies).to.equal(official.serviceDependencies)
  })

  it('every official error class has an equally named class here', () => {
    const officialErrors = Object.entries(official).filter(([, v]) => typeof v === 'function' && v.prototype instanceof Error)
    expect(officialErrors.length).to.be.greaterThan(20)
    for (const [name, Ctor] of officialErrors) {
      const Ours = (ours as Record<string, any>)[name]
      expect(Ours, name).to.be.a('function')
      expect(Ours.name).to.equal((Ctor as any).name)
      expect(new Ours().name).to.equal(new (Ctor as any)().name)
    }
  })
})
