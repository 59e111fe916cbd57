import { expect } from 'chai'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { ByteQueue } from '../src/byte-queue.js'

describe('byte queue', () => {
  it('reads back what was pushed, however it is split and taken', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (chunks, takes) => {
      const queue = new ByteQueue()
      const all = new Uint8ArrayList()
      for (const chunk of chunks) {
        queue.push(chunk)
        all.append(chunk)
      }
      const expected = all.subarray()
      expect(queue.byteLength).to.equal(expected.byteLength)
      const out = new Uint8ArrayList()
      let i = 0
      while (queue.byteLength > 0) {
        const n = Math.min(takes[i++ % takes.length], queue.byteLength)
        expect(queue.get(0)).to.equal(expected[out.byteLength])
        if (i % 3 === 0) {
          out.append(expected.subarray(out.byteLength, out.byteLength + n))
          queue.skip(n)
        } else {
          out.append(queue.take(n))
        }
      }
      expect(out.subarray()).to.deep.equal(expected)
    }))
  })

  it('hands out subarrays of the pushed arrays, not copies', () => {
    const queue = new ByteQueue()
    const a = new Uint8Array([1, 2, 3, 4])
    queue.push(new Uint8ArrayList(a, new Uint8Array([5])))
    queue.skip(1)
    const [first, second] = [...queue.take(4)]
    expect(first.buffer).to.equal(a.buffer)
    expect([...first]).to.deep.equal([2, 3, 4])
    expect([...second]).to.deep.equal([5])
  })

  it('stays fast with many tiny chunks', () => {
    const queue = new ByteQueue()
    for (let i = 0; i < 200_000; i++) {
      queue.push(Uint8Array.of(i & 0xff))
    }
    const start = Date.now()
    for (let i = 0; i < 200_000; i++) {
      queue.take(1)
    }
    expect(queue.byteLength).to.equal(0)
    expect(Date.now() - start).to.be.below(2_000)
  })

  it('copyTo() copies the front bytes across arrays without removing them', () => {
    const queue = new ByteQueue()
    queue.push(Uint8Array.of(1, 2))
    queue.push(Uint8Array.of(3))
    queue.push(Uint8Array.of(4, 5, 6))
    queue.skip(1)
    const target = new Uint8Array(4)
    queue.copyTo(target, 4)
    expect([...target]).to.deep.equal([2, 3, 4, 5])
    expect(queue.byteLength).to.equal(5)
    expect([...queue.take(5).subarray()]).to.deep.equal([2, 3, 4, 5, 6])
  })
})
