/** A command line that cannot be run: unknown command or flag, a missing or bad argument. Exit code 2. */
export class UsageError extends Error {
  static override name = 'UsageError'

  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A config file that cannot be used: unreadable, too large, not JSON, an unknown key or a wrong type. */
export class ConfigError extends Error {
  static override name = 'ConfigError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ConfigError'
  }
}

/** An identity key file that cannot be used: too large, not a private key, or readable by other users. */
export class IdentityFileError extends Error {
  static override name = 'IdentityFileError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'IdentityFileError'
  }
}

/** A repository script (interop, bench) asked for outside a ts-libp2p checkout. */
export class NotInRepositoryError extends Error {
  static override name = 'NotInRepositoryError'

  constructor (message: string) {
    super(message)
    this.name = 'NotInRepositoryError'
  }
}
