import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { NODE_FLAGS, NODE_FLAGS_HELP, resolveNodeConfig } from '../config.js'
import { defaultIdentityPath, loadOrCreateIdentity } from '../identity.js'
import type { Command } from '../command.js'

/** `ts-libp2p id`: the peer id of the identity key file and the addresses the node would announce. */
export const idCommand: Command = {
  name: 'id',
  summary: 'Print the peer id of the identity key (creating the key on first use) and the node\'s addresses',
  usage: ['id [options]'],
  description: 'The addresses are the announce addresses, else the listen addresses, each with /p2p/<peer id>;\n' +
    'a port 0 is chosen when the node starts (`ts-libp2p node` prints the real ones).',
  options: NODE_FLAGS,
  optionsHelp: NODE_FLAGS_HELP,
  async run ({ io, output, values }) {
    const config = await resolveNodeConfig(values)
    const identity = await loadOrCreateIdentity(config.identity ?? defaultIdentityPath(io.env))
    const peerId = peerIdFromPrivateKey(identity.privateKey)
    const addrs = (config.announce.length > 0 ? config.announce : config.listen)
      .map(a => multiaddr(a).encapsulate(`/p2p/${peerId.toString()}`).toString())
    output.result([
      `peer id:   ${peerId.toString()}`,
      `key:       ${identity.privateKey.type} in ${identity.path}${identity.created ? ' (created now)' : ''}`,
      'addresses:',
      ...addrs.map(a => `  ${a}`)
    ].join('\n'), {
      peerId: peerId.toString(),
      keyType: identity.privateKey.type,
      publicKey: Buffer.from(identity.privateKey.publicKey.raw).toString('base64'),
      identityFile: identity.path,
      created: identity.created,
      addresses: addrs
    })
  }
}
