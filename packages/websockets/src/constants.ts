/**
 * Defaults and limits of the WebSockets transport. The libp2p spec
 * (websockets/README.md) defines the address forms and leaves sizes and
 * timeouts to implementations; each value here is a local bound with its
 * reason.
 */

/** Multiaddr codes (multiformats table) of the components websockets/README.md uses. */
export const CODE_IP4 = 4
export const CODE_IP6 = 41
export const CODE_DNS = 53
export const CODE_DNS4 = 54
export const CODE_DNS6 = 55
export const CODE_TCP = 6
export const CODE_TLS = 448
export const CODE_SNI = 449
export const CODE_WS = 477
export const CODE_WSS = 478
export const CODE_HTTP_PATH = 481
export const CODE_P2P = 421
export const CODE_P2P_CIRCUIT = 290

/**
 * websockets/README.md: "If a TCP port is omitted, a secure WebSocket (e.g.
 * `/tls/ws` or `/wss` is assumed to run on TCP port 443), an insecure
 * WebSocket is assumed to run on TCP port 80".
 */
export const DEFAULT_WS_PORT = 80

/** See {@link DEFAULT_WS_PORT}. */
export const DEFAULT_WSS_PORT = 443

/**
 * The largest WebSocket message accepted from a peer; a larger one closes
 * the connection with 1009 (RFC 6455 7.4.1, "message that is too big").
 * 4 MiB matches the read buffer limit of our connections: libp2p frames
 * above (noise messages are at most 65535 bytes, noise/README.md; yamux
 * frames a window, 256 KiB by default) are far smaller, and ws's own
 * default of 100 MiB would let one frame hold 100 MiB of memory.
 */
export const DEFAULT_MAX_PAYLOAD = 4 * 1024 * 1024

/**
 * Bytes queued in the WebSocket (`bufferedAmount`) above which `send()`
 * returns false. 256 KiB keeps a few 64 KiB writes in flight (the socket
 * stays busy) while bounding what a stalled peer makes us hold.
 */
export const DEFAULT_MAX_BUFFERED_AMOUNT = 256 * 1024

/** How often a browser WebSocket's `bufferedAmount` is checked while the writer waits (it has no drain event). */
export const BUFFERED_AMOUNT_POLL_INTERVAL = 10

/** Milliseconds `close()` waits for the close handshake before terminating (as js-libp2p: 500 ms). */
export const DEFAULT_CLOSE_TIMEOUT = 500

/**
 * Milliseconds without bytes either way before an inbound connection is
 * terminated: two minutes, as the TCP transport and js-libp2p; a muxer's
 * keep-alive traffic keeps healthy connections well under it.
 */
export const DEFAULT_INBOUND_INACTIVITY_TIMEOUT = 2 * 60_000

/** The same bound for connections we dialled. */
export const DEFAULT_OUTBOUND_INACTIVITY_TIMEOUT = 2 * 60_000

/**
 * Milliseconds a dial may take (TCP, TLS and the HTTP upgrade) when the
 * caller's signal allows longer: 10 s, js-libp2p's per-address dial timeout.
 */
export const DEFAULT_DIAL_TIMEOUT = 10_000

/**
 * Milliseconds an accepted socket may take to send its HTTP upgrade request
 * (and finish TLS) before it is destroyed: a peer that connects and sends
 * nothing must not hold a socket until the inactivity timeout.
 */
export const DEFAULT_HANDSHAKE_TIMEOUT = 10_000

/** Connections one listener holds at once; more are refused before the upgrade (as the TCP transport). */
export const DEFAULT_MAX_CONNECTIONS = 1024

/** Unread bytes a connection holds before it aborts (as `@ts-libp2p/utils`). */
export const DEFAULT_MAX_READ_BUFFER_LENGTH = 4 * 1024 * 1024

/** RFC 6455 7.4.1 close codes we send or interpret. */
export const CLOSE_NORMAL = 1000
export const CLOSE_GOING_AWAY = 1001
export const CLOSE_UNSUPPORTED_DATA = 1003
export const CLOSE_NO_STATUS = 1005
export const CLOSE_ABNORMAL = 1006
export const CLOSE_MESSAGE_TOO_BIG = 1009
