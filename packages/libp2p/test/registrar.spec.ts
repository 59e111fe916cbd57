import { expect } from 'chai'
import { Registrar, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_OUTBOUND_STREAMS } from '../src/index.js'

const noop = (): void => {}

describe('registrar', () => {
  it('registers handlers with default stream limits and lists protocols sorted', async () => {
    const registrar = new Registrar()
    await registrar.handle('/b/1.0.0', noop)
    await registrar.handle('/a/1.0.0', noop, { maxInboundStreams: 2 })
    expect(registrar.getProtocols()).to.deep.equal(['/a/1.0.0', '/b/1.0.0'])
    expect(registrar.getHandler('/a/1.0.0').options.maxInboundStreams).to.equal(2)
    expect(registrar.getHandler('/a/1.0.0').options.maxOutboundStreams).to.equal(DEFAULT_MAX_OUTBOUND_STREAMS)
    expect(registrar.getHandler('/b/1.0.0').options.maxInboundStreams).to.equal(DEFAULT_MAX_INBOUND_STREAMS)
  })

  it('refuses a second handler unless forced, and unhandle removes it', async () => {
    const registrar = new Registrar()
    await registrar.handle('/a/1.0.0', noop)
    const err = await registrar.handle('/a/1.0.0', noop).catch((e: Error) => e)
    expect(err).to.have.property('name', 'DuplicateProtocolHandlerError')
    const other = (): void => {}
    await registrar.handle('/a/1.0.0', other, { force: true })
    expect(registrar.getHandler('/a/1.0.0').handler).to.equal(other)
    await registrar.unhandle('/a/1.0.0')
    expect(() => registrar.getHandler('/a/1.0.0')).to.throw().with.property('name', 'UnsupportedProtocolError')
  })

  it('findHandler returns the record, or undefined without throwing', async () => {
    const registrar = new Registrar()
    await registrar.handle('/a/1.0.0', noop, { maxOutboundStreams: 3 })
    expect(registrar.findHandler('/a/1.0.0')?.options.maxOutboundStreams).to.equal(3)
    expect(registrar.findHandler('/b/1.0.0')).to.equal(undefined)
    await registrar.unhandle('/a/1.0.0')
    expect(registrar.findHandler('/a/1.0.0')).to.equal(undefined)
  })

  it('bounds the number of protocols', async () => {
    const registrar = new Registrar({ maxProtocols: 2 })
    await registrar.handle('/a', noop)
    await registrar.handle('/b', noop)
    const err = await registrar.handle('/c', noop).catch((e: Error) => e)
    expect(err).to.have.property('name', 'LimitExceededError')
    await registrar.handle('/a', noop, { force: true }) // replacing stays within the bound
  })

  it('rejects bad arguments with InvalidParametersError', async () => {
    const registrar = new Registrar()
    for (const args of [['', noop], ['/a', undefined], [undefined, noop]] as const) {
      const err = await registrar.handle(args[0] as any, args[1] as any).catch((e: Error) => e)
      expect(err).to.have.property('name', 'InvalidParametersError')
    }
  })

  it('keeps middleware per protocol', async () => {
    const registrar = new Registrar()
    const mw = (): void => {}
    await registrar.handle('/a', noop, { middleware: [mw] })
    expect(registrar.getMiddleware('/a')).to.deep.equal([mw])
    registrar.unuse('/a')
    expect(registrar.getMiddleware('/a')).to.deep.equal([])
    registrar.use('/b', [mw, mw])
    expect(registrar.getMiddleware('/b')).to.have.length(2)
  })

  it('registers and unregisters topologies', async () => {
    const registrar = new Registrar()
    const t1 = {}
    const t2 = {}
    const id1 = await registrar.register('/a', t1)
    const id2 = await registrar.register('/a', t2)
    expect(id1).to.not.equal(id2)
    expect(registrar.getTopologies('/a')).to.deep.equal([t1, t2])
    registrar.unregister(id1)
    expect(registrar.getTopologies('/a')).to.deep.equal([t2])
    registrar.unregister(id2)
    expect(registrar.getTopologies('/a')).to.deep.equal([])
  })
})
