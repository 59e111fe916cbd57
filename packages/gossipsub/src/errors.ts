/** Score parameters or thresholds that break a rule of gossipsub v1.1 "Overview of New Parameters". */
export class InvalidScoreParamsError extends Error {
  static override name = 'InvalidScoreParamsError'

  constructor (message = 'Invalid peer score parameters') {
    super(message)
    this.name = 'InvalidScoreParamsError'
  }
}

/** Gossipsub options that break a rule of the spec (e.g. D_out >= D_lo). */
export class InvalidGossipsubParamsError extends Error {
  static override name = 'InvalidGossipsubParamsError'

  constructor (message = 'Invalid gossipsub parameters') {
    super(message)
    this.name = 'InvalidGossipsubParamsError'
  }
}

/** Publishing found no peer to send the message to (and `allowPublishToZeroTopicPeers` is off). */
export class PublishError extends Error {
  static override name = 'PublishError'

  constructor (message = 'No peers to publish to') {
    super(message)
    this.name = 'PublishError'
  }
}

/** A peer sent an RPC frame we cannot decode or that breaks a limit. */
export class InvalidRPCError extends Error {
  static override name = 'InvalidRPCError'

  constructor (message = 'Invalid gossipsub RPC') {
    super(message)
    this.name = 'InvalidRPCError'
  }
}
