#!/usr/bin/env node
// The ceiling of any libp2p transfer here: raw node:net throughput between two processes on loopback.
//
//   node benchmarks/cross/net.mjs server            -> prints `port=<n>`, serves until killed
//   node benchmarks/cross/net.mjs client <port> <MiB> <runs>  -> one JSON line
//
// Each run is a fresh connection: the client writes <MiB> in 64 KiB writes honouring backpressure and ends;
// the server counts the bytes until the end, then writes back one JSON line with the bytes it got and the CPU
// time it used, and closes. Wall time is from the connect to that line; CPU is both sides'.
import net from 'node:net'

const CHUNK = 64 * 1024
const [role, ...rest] = process.argv.slice(2)

if (role === 'server') {
  const server = net.createServer((socket) => {
    let bytes = 0
    let cpu = null
    socket.on('data', (d) => {
      if (cpu == null) cpu = process.cpuUsage()
      bytes += d.byteLength
    })
    socket.on('end', () => {
      const used = process.cpuUsage(cpu ?? undefined)
      socket.end(JSON.stringify({ bytes, cpuMicros: used.user + used.system }) + '\n')
    })
    socket.on('error', () => {})
  })
  server.listen(0, '127.0.0.1', () => { process.stdout.write(`port=${server.address().port}\n`) })
} else if (role === 'client') {
  const [port, mib, runs] = rest.map(Number)
  const total = mib * 1024 * 1024
  const chunk = Buffer.alloc(CHUNK, 7)
  const samples = []
  for (let r = 0; r < runs; r++) {
    const cpu = process.cpuUsage()
    const start = performance.now()
    const reply = await new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1')
      let text = ''
      socket.setEncoding('utf8')
      socket.on('data', (d) => { text += d })
      socket.on('end', () => { try { resolve(JSON.parse(text)) } catch (err) { reject(err) } })
      socket.on('error', reject)
      socket.on('connect', () => {
        let sent = 0
        const pump = () => {
          while (sent < total) {
            sent += CHUNK
            if (!socket.write(chunk)) { socket.once('drain', pump); return }
          }
          socket.end()
        }
        pump()
      })
    })
    const secs = (performance.now() - start) / 1000
    const used = process.cpuUsage(cpu)
    if (reply.bytes !== Math.ceil(total / CHUNK) * CHUNK) throw new Error(`server got ${reply.bytes} bytes`)
    samples.push({ mibPerSecond: mib / secs, cpuSecondsPerGiB: ((used.user + used.system + reply.cpuMicros) / 1e6) / (mib / 1024) })
  }
  console.log(JSON.stringify({ mib, runs, samples }))
} else {
  console.error('usage: net.mjs server | client <port> <MiB> <runs>')
  process.exit(2)
}
