import { constants as fsConstants } from 'node:fs'
import { mkdir, open, readFile, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@ts-libp2p/crypto'
import { CONFIG_DIR_NAME, IDENTITY_DIR_MODE, IDENTITY_FILE_MODE, IDENTITY_FILE_NAME, MAX_IDENTITY_FILE_SIZE } from './constants.js'
import { IdentityFileError } from './errors.js'
import type { PrivateKey } from '@ts-libp2p/interface'

/**
 * The default identity key path: `$XDG_CONFIG_HOME/ts-libp2p/identity.key`, or
 * `~/.config/ts-libp2p/identity.key` when XDG_CONFIG_HOME is unset or not absolute
 * (the XDG Base Directory spec says relative values are to be ignored).
 */
export function defaultIdentityPath (env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME
  const base = xdg != null && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.config')
  return join(base, CONFIG_DIR_NAME, IDENTITY_FILE_NAME)
}

/** What {@link loadOrCreateIdentity} found or made. */
export interface Identity {
  privateKey: PrivateKey
  /** The key file. */
  path: string
  /** True when the file did not exist and was created by this call. */
  created: boolean
}

/**
 * Reads the private key in `path` (a protobuf PrivateKey, peer-ids/peer-ids.md "Keys"), or, when there is no
 * file, generates an Ed25519 key and writes it there with mode 0600 (the directory 0700). The file is created
 * with O_EXCL, so two processes starting at once cannot both write a key: the loser reads the winner's.
 * A file that other users can read or write is refused, as ssh refuses such a private key.
 */
export async function loadOrCreateIdentity (path: string): Promise<Identity> {
  const existing = await readIdentity(path)
  if (existing != null) return { privateKey: existing, path, created: false }

  const privateKey = await generateKeyPair('Ed25519')
  await mkdir(dirname(path), { recursive: true, mode: IDENTITY_DIR_MODE })
  let handle
  try {
    handle = await open(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, IDENTITY_FILE_MODE)
  } catch (err: any) {
    if (err.code === 'EEXIST') {
      // another process created it between our read and our open: use its key
      const theirs = await readIdentity(path)
      if (theirs != null) return { privateKey: theirs, path, created: false }
    }
    throw new IdentityFileError(`cannot create the identity key file ${path}: ${err.message}`, { cause: err })
  }
  try {
    // the umask may have narrowed the mode further, never widened it; set it exactly
    await handle.chmod(IDENTITY_FILE_MODE)
    await handle.writeFile(privateKeyToProtobuf(privateKey))
    await handle.sync()
  } finally {
    await handle.close()
  }
  return { privateKey, path, created: true }
}

/**
 * Reads the key file at `path`; undefined when it does not exist. Throws IdentityFileError for a file that is
 * too large, readable or writable by others, or not a protobuf private key.
 */
export async function readIdentity (path: string): Promise<PrivateKey | undefined> {
  let info
  try {
    info = await stat(path)
  } catch (err: any) {
    if (err.code === 'ENOENT') return undefined
    throw new IdentityFileError(`cannot read the identity key file ${path}: ${err.message}`, { cause: err })
  }
  if (!info.isFile()) throw new IdentityFileError(`the identity key path ${path} is not a file`)
  if (info.size > MAX_IDENTITY_FILE_SIZE) throw new IdentityFileError(`the identity key file ${path} is ${info.size} bytes, more than a private key (limit ${MAX_IDENTITY_FILE_SIZE})`)
  if ((info.mode & 0o077) !== 0) {
    throw new IdentityFileError(`the identity key file ${path} is accessible by other users (mode ${(info.mode & 0o777).toString(8)}): run chmod 600 ${path}`)
  }
  const bytes = await readFile(path)
  try {
    return privateKeyFromProtobuf(bytes)
  } catch (err: any) {
    throw new IdentityFileError(`the identity key file ${path} does not hold a protobuf private key: ${err.message}`, { cause: err })
  }
}
