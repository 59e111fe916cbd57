import { expect } from 'chai'
import { MemoryDatastore } from 'datastore-core'
import { RecordStore } from '../src/record-store.js'

const key = new TextEncoder().encode('/test/k')

describe('record store', () => {
  it('stores with timeReceived and reads back', async () => {
    const store = new RecordStore(new MemoryDatastore(), { now: () => Date.UTC(2026, 0, 1) })
    await store.put(key, Uint8Array.of(1, 2))
    const record = await store.get(key)
    expect(record?.value).to.deep.equal(Uint8Array.of(1, 2))
    expect(record?.timeReceived).to.equal('2026-01-01T00:00:00.000Z')
  })

  it('treats records older than maxRecordAge as gone and deletes them; sweep deletes stale ones', async () => {
    let now = Date.UTC(2026, 0, 1)
    const datastore = new MemoryDatastore()
    const store = new RecordStore(datastore, { now: () => now, maxRecordAge: 1000 })
    await store.put(key, Uint8Array.of(1))
    await store.put(new TextEncoder().encode('/test/other'), Uint8Array.of(2))
    now += 1001
    expect(await store.get(key)).to.equal(undefined)
    expect(await datastore.has(RecordStore.keyOf(key))).to.equal(false)
    expect(await store.sweep()).to.equal(1)
  })

  it('drops unreadable stored bytes', async () => {
    const datastore = new MemoryDatastore()
    await datastore.put(RecordStore.keyOf(key), Uint8Array.of(0xff, 0xff, 0xff))
    expect(await new RecordStore(datastore).get(key)).to.equal(undefined)
  })
})
