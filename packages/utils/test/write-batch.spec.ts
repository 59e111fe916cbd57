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
})
