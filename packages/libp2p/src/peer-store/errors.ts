/** A value read from the datastore under `/peers/` is not a peer entry this store wrote. */
export class InvalidStoredPeerError extends Error {
  static override name = 'InvalidStoredPeerError'
  constructor (message = 'The stored peer entry is corrupt') { super(message); this.name = 'InvalidStoredPeerError' }
}
