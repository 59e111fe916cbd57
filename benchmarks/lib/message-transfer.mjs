// One-way transfer over a secured MessageStream pair, shared by the encrypter benchmarks (noise, tls).

/**
 * Sends `total` bytes as repeated `payload` writes through `sender` (send() / onDrain()), counting them on
 * `receiver`'s `message` events; rejects if the receiver closes with an error. Returns the wall-clock ms from the
 * first write to the last byte received and the process CPU seconds used meanwhile (both ends run in this process).
 */
export async function sendAndCount (sender, receiver, total, payload) {
  let received = 0
  const done = new Promise((resolve, reject) => {
    receiver.addEventListener('message', (evt) => {
      received += evt.data.byteLength
      if (received >= total) resolve()
    })
    receiver.addEventListener('close', (evt) => { if (evt.error) reject(evt.error) })
  })
  const cpu = process.cpuUsage()
  const start = performance.now()
  for (let sent = 0; sent < total; sent += payload.byteLength) {
    if (!sender.send(payload)) {
      await sender.onDrain()
    }
  }
  await done
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { ms, cpuSeconds: (used.user + used.system) / 1e6 }
}
