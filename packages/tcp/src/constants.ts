/**
 * Defaults and limits of the TCP transport. TCP itself negotiates nothing
 * libp2p-specific: the specs define only the address forms
 * (addressing/README.md: "/ip4/7.7.7.7/tcp/4242/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"),
 * and leave timeouts and limits to each implementation. Every value here is
 * a local bound with the reason for its size.
 */

/** Multiaddr code of `tcp` (multiformats multicodec table, used by addressing/README.md). */
export const CODE_TCP = 6

/** Multiaddr code of `ip4`. */
export const CODE_IP4 = 4

/** Multiaddr code of `ip6`. */
export const CODE_IP6 = 41

/** Multiaddr code of `dns` (addressing/README.md lists /dns, /dns4, /dns6 as host components). */
export const CODE_DNS = 53

/** Multiaddr code of `dns4`. */
export const CODE_DNS4 = 54

/** Multiaddr code of `dns6`. */
export const CODE_DNS6 = 55

/** Multiaddr code of `p2p`. */
export const CODE_P2P = 421

/** Multiaddr code of `p2p-circuit`: such addresses belong to the relay transport, not to us. */
export const CODE_P2P_CIRCUIT = 290

/**
 * Milliseconds a graceful `close()` waits for the remote to finish its side
 * (our FIN sent, theirs awaited) before the socket is reset. 500 ms, the
 * js-libp2p tcp default: long enough for a loopback or LAN peer to answer a
 * FIN, short enough that a node shutting down does not hang on dead peers.
 */
export const DEFAULT_CLOSE_TIMEOUT = 500

/**
 * Milliseconds without bytes in either direction after which an inbound
 * socket is reset. Two minutes, as js-libp2p: the muxer above sends
 * keep-alive pings far more often (yamux/README.md: ping frames "can be used
 * to measure RTT" and keep connections alive), so only a dead or silent peer
 * (one that connects and never speaks) reaches it.
 */
export const DEFAULT_INBOUND_SOCKET_INACTIVITY_TIMEOUT = 2 * 60_000

/** The same bound for sockets we dialled. */
export const DEFAULT_OUTBOUND_SOCKET_INACTIVITY_TIMEOUT = 2 * 60_000

/**
 * Milliseconds a dial may take to establish the TCP connection when the
 * caller's signal allows longer. 10 s, js-libp2p's per-address dial timeout,
 * bounds a SYN that is silently dropped (the kernel would retry for minutes).
 */
export const DEFAULT_DIAL_TIMEOUT = 10_000

/**
 * Sockets one listener holds at once; more are reset on accept. 1024 bounds
 * file descriptors and memory per listener (each socket has kernel buffers
 * and a read buffer of up to 4 MiB here); a node's connection manager
 * usually closes connections long before.
 */
export const DEFAULT_MAX_CONNECTIONS = 1024

/** The accept queue length passed to listen(2); 511 is Node's own default. */
export const DEFAULT_BACKLOG = 511

/**
 * Nagle's algorithm is off by default: libp2p protocols exchange many small
 * frames (multistream-select lines, yamux window updates, noise handshakes)
 * whose latency matters more than packet count.
 */
export const DEFAULT_NO_DELAY = true

/** TCP keep-alive probes are on by default, so dead peers behind NATs are noticed. */
export const DEFAULT_KEEP_ALIVE = true

/** Milliseconds of idle before the first keep-alive probe (Node's 0 means the OS default). */
export const DEFAULT_KEEP_ALIVE_INITIAL_DELAY = 0

/**
 * Unread bytes a connection holds before it aborts (StreamBufferError). The
 * socket is paused well before (at the read high-water mark), so only a
 * consumer that stops reading and ignores pause reaches it. 4 MiB as
 * `@ts-libp2p/utils`.
 */
export const DEFAULT_MAX_READ_BUFFER_LENGTH = 4 * 1024 * 1024
