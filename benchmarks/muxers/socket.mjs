// A loopback TCP connection as a pair of message streams (our
// AbstractMultiaddrConnection over node:net), shared by the muxer benchmarks.
import { once } from 'node:events'
import net from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { AbstractMultiaddrConnection, defaultLogger } from '@ts-libp2p/utils'

class SocketConnection extends AbstractMultiaddrConnection {
  constructor (socket, direction) {
    super({ log: defaultLogger().forComponent(`bench:tcp:${direction}`), direction, remoteAddr: multiaddr('/ip4/127.0.0.1/tcp/1') })
    this.socket = socket
    socket.setNoDelay(true)
    socket.on('data', (buf) => { this.onData(buf) })
    socket.on('end', () => { this.onRemoteCloseWrite() })
    socket.on('drain', () => { this.onSendReady() })
    socket.on('error', (err) => { this.onTransportClosed(err) })
    socket.on('close', () => { this.onTransportClosed() })
  }

  sendData (data) {
    let canSendMore = true
    this.socket.cork()
    for (const buf of data) {
      canSendMore = this.socket.write(buf)
    }
    process.nextTick(() => { this.socket.uncork() })
    return { sentBytes: data.byteLength, canSendMore }
  }

  sendReset () { this.socket.resetAndDestroy() }
  sendCloseWrite () { this.socket.end() }
  sendPause () { this.socket.pause() }
  sendResume () { this.socket.resume() }
}

export async function socketPair () {
  const server = net.createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const accepted = once(server, 'connection')
  const client = net.connect(server.address().port, '127.0.0.1')
  await once(client, 'connect')
  const [serverSocket] = await accepted
  return {
    outbound: new SocketConnection(client, 'outbound'),
    inbound: new SocketConnection(serverSocket, 'inbound'),
    async stop () {
      client.destroy()
      serverSocket.destroy()
      await new Promise(resolve => { server.close(resolve) })
    }
  }
}
