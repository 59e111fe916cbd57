/**
 * Every default and limit of the `ts-libp2p` command, in one place.
 */

/** The directory under `$XDG_CONFIG_HOME` (or `~/.config`) holding the identity key (XDG Base Directory spec). */
export const CONFIG_DIR_NAME = 'ts-libp2p'

/** The identity key file's name in that directory. */
export const IDENTITY_FILE_NAME = 'identity.key'

/** The identity key file is created readable and writable by its owner only, like an ssh private key. */
export const IDENTITY_FILE_MODE = 0o600

/** The directory holding the key file is created accessible by its owner only. */
export const IDENTITY_DIR_MODE = 0o700

/**
 * The largest key file read: a protobuf PrivateKey (peer-ids/peer-ids.md, "Keys"). An RSA-4096 key in
 * PKCS#1 DER is about 2.4 KB; 16 KiB leaves room and still refuses a wrong file at once.
 */
export const MAX_IDENTITY_FILE_SIZE = 16 * 1024

/** The largest JSON config file read: a config is a few hundred bytes, anything near 1 MiB is a mistake. */
export const MAX_CONFIG_FILE_SIZE = 1024 * 1024

/** Where `ts-libp2p node` listens when neither flags nor the config say: TCP on every IPv4 interface, a free port. */
export const DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/0']

/**
 * The services `ts-libp2p node` runs by default. Perf is not among them: the perf spec (perf/perf.md) says it
 * "SHOULD NOT be enabled by default" because a client can make the server do a lot of work.
 */
export const DEFAULT_SERVICES = ['identify', 'ping']

/** Every service name the command knows (the help lists them, and the demo reads the list from the help). */
export const SERVICE_NAMES = ['identify', 'ping', 'perf', 'dht', 'pubsub'] as const

/** DHT modes: automatic (server once an address is confirmed, kad-dht's rule), or forced. */
export const DHT_MODES = ['auto', 'client', 'server'] as const

/**
 * The DHT record namespace of the command: keys `/ts-libp2p/<name>` hold any value up to
 * {@link MAX_DHT_VALUE_SIZE}. A DHT server refuses records of namespaces it has no validator for
 * (kad-dht/README.md, "Entry validation"), so every node of the command accepts this one. A bare key
 * given on the command line is put under it.
 */
export const DHT_NAMESPACE = 'ts-libp2p'

/** The largest value stored under {@link DHT_NAMESPACE}: records travel in one DHT message, keep them small. */
export const MAX_DHT_VALUE_SIZE = 16 * 1024

/** The largest pubsub message the command publishes or prints (gossipsub's default RPC limit is 1 MiB). */
export const MAX_PUBSUB_MESSAGE_SIZE = 64 * 1024

/** Every transport name the command knows. */
export const TRANSPORT_NAMES = ['tcp', 'ws'] as const

/** Every connection encrypter name the command knows, in the default order of preference. */
export const ENCRYPTER_NAMES = ['noise', 'tls'] as const

/** Every stream muxer name the command knows, in the default order of preference. */
export const MUXER_NAMES = ['yamux', 'mplex'] as const

/** Pings sent by `ts-libp2p ping` unless `--count` says otherwise. */
export const DEFAULT_PING_COUNT = 3

/** Milliseconds between two pings of `ts-libp2p ping`. */
export const DEFAULT_PING_INTERVAL = 1000

/** The most pings one `ts-libp2p ping` sends. */
export const MAX_PING_COUNT = 10_000

/** Bytes uploaded and downloaded by `ts-libp2p perf` unless flags say otherwise (10 MiB each way). */
export const DEFAULT_PERF_BYTES = 10 * 1024 * 1024

/** The most bytes one `ts-libp2p perf` moves each way (the server's own default limit is 4 GiB). */
export const MAX_PERF_BYTES = 4 * 1024 * 1024 * 1024

/** Milliseconds between two progress reports of `ts-libp2p perf`. */
export const PROGRESS_INTERVAL = 250

/** Milliseconds a one-shot command (ping, perf, dht, pubsub pub) may take as a whole unless `--timeout` says. */
export const DEFAULT_COMMAND_TIMEOUT = 60_000

/** The longest line `node --control` reads from stdin; a longer one is refused and the rest of it skipped. */
export const MAX_CONTROL_LINE = 64 * 1024

/** Control requests running at once in `node --control`; more are refused until one ends. */
export const MAX_CONTROL_IN_FLIGHT = 16

/** The process exit code for a usage error (bad flags or arguments), as BSD sysexits' EX_USAGE is 64; we use 2 like most CLIs. */
export const EXIT_USAGE = 2

/** The process exit code when the command ran and failed. */
export const EXIT_FAILURE = 1

/** Chat rooms are gossipsub topics named `ts-libp2p-chat/<room>`. */
export const CHAT_TOPIC_PREFIX = 'ts-libp2p-chat/'

/** The room joined when none is named. */
export const DEFAULT_CHAT_ROOM = 'lobby'

/** The longest nickname, in characters (longer ones are cut). */
export const MAX_NICK_LENGTH = 32

/** The longest chat line, in bytes of UTF-8; longer input is refused, longer messages received are dropped. */
export const MAX_CHAT_MESSAGE_SIZE = 4096

/** Milliseconds between two presence announcements of a chat member (so others learn its nickname). */
export const CHAT_PRESENCE_INTERVAL = 5000

/** The chat lines kept on screen and in memory. */
export const MAX_CHAT_HISTORY = 500

/** The room members tracked at most (one entry per peer id). */
export const MAX_CHAT_MEMBERS = 1000

/** Dials of discovered peers (mDNS) in flight at once; further discoveries wait for the next announcement. */
export const MAX_DISCOVERY_DIALS = 8

/** Milliseconds one dial of a discovered peer may take. */
export const DISCOVERY_DIAL_TIMEOUT = 10_000
