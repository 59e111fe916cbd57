/**
 * Sizes, timeouts and protocol ids of the compliance matrix. These are test
 * parameters of ours, not spec limits; each says why it has its value.
 */

/** The echo protocol each matrix node serves (ours; any id is valid per connections/README.md "Protocol Negotiation"). */
export const ECHO_PROTOCOL = '/ts-libp2p/compliance/echo/1.0.0'

/** Bytes sent through the echo of every cell and direction: 16 MiB, far beyond every muxer window and encrypter frame. */
export const ECHO_BYTES = 16 * 1024 * 1024

/** Size of one write of the echo: 64 KiB, the largest noise transport message (noise/README.md "Wire Format"). */
export const ECHO_CHUNK_BYTES = 64 * 1024

/** Deadline for one whole cell (both directions) before it is aborted. */
export const CELL_TIMEOUT_MS = 60_000

/** Deadline for one step (dial, identify, ping, hang-up) inside a cell. */
export const STEP_TIMEOUT_MS = 10_000

/** Deadline for a child listener process to print its readiness line. */
export const CHILD_READY_TIMEOUT_MS = 15_000

/**
 * Bytes the echo sender lets run ahead of what came back: 1 MiB. mplex has no
 * per-stream flow control (mplex/README.md has no window), so our mplex (like
 * js's) resets a stream holding more than 4 MiB unread; an echo server that
 * waits for its own write to drain stops reading meanwhile, so an unpaced
 * 16 MiB sender overruns it. The window keeps every cell under that limit.
 */
export const ECHO_WINDOW_BYTES = 1024 * 1024

/** Time a child listener gets to exit after SIGTERM before its process group is killed. */
export const CHILD_EXIT_TIMEOUT_MS = 5_000

/** Bytes a child may print before its readiness line ends: 4 KiB is ample for one JSON line with an address. */
export const MAX_CHILD_LINE_BYTES = 4096
