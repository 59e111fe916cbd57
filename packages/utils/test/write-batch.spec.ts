import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { COPY_THRESHOLD, WriteBatch } from '../src/write-batch.js'

describe('write batch', () => {
  it('coalesces small writes into one array and keeps their order', () => {
    const batch = new WriteBatch()
    for (let i = 0; i < 100; i++) {
      batch.copy(Uint8Array.of(i))
      batch.append(new Uint8ArrayList(Uint8Array.of(i, i)))
    }
    expect(batch.byteLength).to.equal(300)
    const list = batch.take()
    expect([...list]).to.have.lengthOf(1)
    const bytes = list.subarray()
    expect([...bytes.subarray(0, 6)]).to.deep.equal([0, 0, 0, 1, 1, 1])
    expect(batch.byteLength).to.equal(0)
  })

  it('references large payloads without copying them', () => {
    const batch = new WriteBatch()
    const big = new Uint8Array(COPY_THRESHOLD + 1)
    batch.copy(Uint8Array.of(1))
    batch.append(new Uint8ArrayList(big))
    batch.copy(Uint8Array.of(2))
    const chunks = [...batch.take()]
    expect(chunks).to.have.lengthOf(3)
    expect(chunks[1]).to.equal(big)
  })

  it('never rewrites bytes it has handed out', () => {
    const batch = new WriteBatch()
    batch.copy(Uint8Array.of(7, 7))
    const first = batch.take()
    for (let i = 0; i < 40_000; i++) {
      batch.copy(Uint8Array.of(9))
    }
    batch.take()
    expect([...first.subarray()]).to.deep.equal([7, 7])
  })

  it('clear() drops what is queued', () => {
    const batch = new WriteBatch()
    batch.copy(Uint8Array.of(1))
    batch.append(new Uint8ArrayList(new Uint8Array(5000)))
    batch.clear()
    expect(batch.byteLength).to.equal(0)
    expect(batch.take().byteLength).to.equal(0)
  })

  it('keeps the bytes of batches that copy in turns apart and in order', () => {
    const a = new WriteBatch()
    const b = new WriteBatch()
    for (let i = 0; i < 50; i++) {
      a.copy(Uint8Array.of(1, i))
      b.copy(Uint8Array.of(2, i))
    }
    const fromA = a.take().subarray()
    const fromB = b.take().subarray()
    expect(fromA).to.have.lengthOf(100)
    expect(fromB).to.have.lengthOf(100)
    for (let i = 0; i < 50; i++) {
      expect([fromA[2 * i], fromA[2 * i + 1]]).to.deep.equal([1, i])
      expect([fromB[2 * i], fromB[2 * i + 1]]).to.deep.equal([2, i])
    }
  })

  it('alloc() reserves bytes the caller fills in place, in order with copies', () => {
    const batch = new WriteBatch()
    batch.copy(Uint8Array.of(1))
    const region = batch.alloc(3)
    region.set([2, 3, 4])
    batch.copy(Uint8Array.of(5))
    const list = batch.take()
    expect([...list]).to.have.lengthOf(1)
    expect([...list.subarray()]).to.deep.equal([1, 2, 3, 4, 5])
  })

  it('copies writes larger than a slab whole', () => {
    const batch = new WriteBatch()
    const big = new Uint8Array(40_000).fill(3)
    batch.copy(Uint8Array.of(1))
    batch.copy(big)
    batch.copy(Uint8Array.of(2))
    const bytes = batch.take().subarray()
    expect(bytes).to.have.lengthOf(40_002)
    expect([bytes[0], bytes[1], bytes[40_000], bytes[40_001]]).to.deep.equal([1, 3, 3, 2])
  })
})
