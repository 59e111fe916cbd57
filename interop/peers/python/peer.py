"""The py-libp2p peer of the ts-libp2p interop matrix.

The command-line contract (environment, output lines, exit codes) is described in
interop/README.md; every peer in interop/peers follows it.
"""

import hashlib
import json
import os
import struct
import sys
import time

import multiaddr
import trio

from libp2p import new_host
from libp2p.crypto.ed25519 import create_new_key_pair
from libp2p.crypto.x25519 import create_new_key_pair as create_new_x25519_key_pair
from libp2p.host.ping import PingService
from libp2p.identity.identify.identify import ID as IDENTIFY_PROTOCOL
from libp2p.identity.identify.pb.identify_pb2 import Identify
from libp2p.network.stream.exceptions import StreamEOF
from libp2p.peer.id import ID
from libp2p.kad_dht import DHTMode, KadDHT
from libp2p.peer.peerinfo import PeerInfo, info_from_p2p_addr
from libp2p.perf import PerfService
from libp2p.pubsub.gossipsub import PROTOCOL_ID as MESHSUB_10
from libp2p.pubsub.gossipsub import PROTOCOL_ID_V11 as MESHSUB_11
from libp2p.pubsub.gossipsub import PROTOCOL_ID_V12 as MESHSUB_12
from libp2p.pubsub.gossipsub import GossipSub
from libp2p.pubsub.pubsub import Pubsub
from libp2p.tools.anyio_service import background_trio_service
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.security.tls.transport import PROTOCOL_ID as TLS_PROTOCOL
from libp2p.security.tls.transport import TLSTransport
from libp2p.stream_muxer.mplex.mplex import MPLEX_PROTOCOL_ID, Mplex
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL
from libp2p.stream_muxer.yamux.yamux import Yamux
from libp2p.utils.varint import read_length_prefixed_protobuf

EXIT_FAIL = 1
EXIT_UNSUPPORTED = 3
PING_PROTOCOL = "/ipfs/ping/1.0.0"
PERF_PROTOCOL = "/perf/1.0.0"
PERF_BLOCK = bytes(64 * 1024)
DEFAULT_PERF_BYTES = 1024 * 1024
SCENARIOS = ("ping", "identify", "perf", "gossipsub", "gossipsub-mesh", "dht")
MESH_PREFIX = b"ts-interop mesh from "
GOSSIP_TOPIC = "ts-interop"
DIALER_PREFIX = b"ts-interop gossip from dialer "
LISTENER_PREFIX = b"ts-interop gossip from listener "


def env(name, default=""):
    return os.environ.get(name) or default


def unsupported(what):
    print(f"unsupported: {what}", flush=True)
    sys.exit(EXIT_UNSUPPORTED)


def millis(seconds):
    return round(seconds * 1000, 3)


def build_host(transport, security, muxer, listen):
    key_pair = create_new_key_pair()
    if security == "noise":
        sec = {NOISE_PROTOCOL: NoiseTransport(key_pair, noise_privkey=create_new_x25519_key_pair().private_key)}
    elif security == "tls":
        sec = {TLS_PROTOCOL: TLSTransport(key_pair)}
    else:
        unsupported(f"security {security}")
    if muxer == "yamux":
        mux = {YAMUX_PROTOCOL: Yamux}
    elif muxer == "mplex":
        mux = {MPLEX_PROTOCOL_ID: Mplex}
    else:
        unsupported(f"muxer {muxer}")
    return new_host(
        key_pair=key_pair,
        sec_opt=sec,
        muxer_opt=mux,
        listen_addrs=listen,
        enable_tcp=transport == "tcp",
        enable_websocket=transport == "ws",
    )


async def identify(host, peer_id):
    """Runs one identify exchange and checks what every peer in the matrix must announce."""
    stream = await host.new_stream(peer_id, [IDENTIFY_PROTOCOL])
    try:
        data = await read_length_prefixed_protobuf(stream, use_varint_format=True)
    finally:
        await stream.close()
    msg = Identify()
    msg.ParseFromString(data)
    protocols = sorted(msg.protocols)
    for want in (PING_PROTOCOL, str(IDENTIFY_PROTOCOL)):
        if want not in protocols:
            raise RuntimeError(f"identify: remote does not list {want} (got {protocols})")
    if not msg.agent_version:
        raise RuntimeError("identify: remote sent no agent version")
    return msg, protocols


def env_bytes(name):
    value = env(name)
    if not value:
        return DEFAULT_PERF_BYTES
    if not value.isdigit():
        raise RuntimeError(f"bad {name} {value!r}")
    return int(value)


async def perf(host, peer_id, connect_seconds):
    """The perf client (libp2p/specs perf/perf.md), with the upload and download timed apart.

    py-libp2p's PerfService serves the listener side; its client reports only the total time,
    so the dialer's side is written here over the same stream API.
    """
    upload = env_bytes("perf_upload_bytes")
    download = env_bytes("perf_download_bytes")
    start = time.perf_counter()
    stream = await host.new_stream(peer_id, [PERF_PROTOCOL])
    await stream.write(struct.pack(">Q", download))
    left = upload
    while left > 0:
        chunk = min(left, len(PERF_BLOCK))
        await stream.write(PERF_BLOCK[:chunk])
        left -= chunk
    await stream.close_write()
    uploaded = time.perf_counter()
    got = 0
    while True:
        try:
            data = await stream.read(len(PERF_BLOCK))
        except StreamEOF:
            break
        if not data:
            break
        got += len(data)
    done = time.perf_counter()
    if got != download:
        raise RuntimeError(f"perf: downloaded {got} bytes, asked for {download}")
    up, down = uploaded - start, done - uploaded
    return {
        "type": "final",
        "connectMillis": millis(connect_seconds),
        "uploadBytes": upload,
        "downloadBytes": download,
        "uploadSeconds": up,
        "downloadSeconds": down,
        "timeSeconds": done - start,
        "uploadBytesPerSecond": upload / up if up > 0 else 0,
        "downloadBytesPerSecond": download / down if down > 0 else 0,
    }


def gossipsub(host):
    """A gossipsub router for the scenario: no scoring (every peer is on 127.0.0.1), no
    eclipse protection (it wants peers from 3 IPs), and a 1 s heartbeat (py-libp2p publishes
    to mesh peers only, and the default heartbeat is 120 s: the mesh forms at the first
    heartbeat after the peer subscribed)."""
    router = GossipSub(
        protocols=[MESHSUB_12, MESHSUB_11, MESHSUB_10],
        degree=6,
        degree_low=4,
        degree_high=12,
        heartbeat_initial_delay=0.1,
        heartbeat_interval=1,
        eclipse_protection_enabled=False,
    )
    return Pubsub(host, router), router


async def serve_gossip(host, pubsub, timeout):
    """Answers every dialer message with one of its own until the timeout."""
    sub = await pubsub.subscribe(GOSSIP_TOPIC)
    answer = LISTENER_PREFIX + str(host.get_id()).encode()
    with trio.move_on_after(timeout):
        while True:
            msg = await sub.get()
            if msg.data.startswith(DIALER_PREFIX):
                await pubsub.publish(GOSSIP_TOPIC, answer)


async def run_gossip(host, pubsub, info, start):
    """Publishes until the listener answers (again every second)."""
    sub = await pubsub.subscribe(GOSSIP_TOPIC)
    await host.connect(info)
    await pubsub.wait_for_subscription(info.peer_id, GOSSIP_TOPIC, timeout=float(env("test_timeout_seconds", "30")))
    subscribed = time.perf_counter() - start
    published = time.perf_counter()
    n = 0
    while True:
        n += 1
        await pubsub.publish(GOSSIP_TOPIC, DIALER_PREFIX + f"{host.get_id()} #{n}".encode())
        with trio.move_on_after(1):
            while True:
                msg = await sub.get()
                if msg.data.startswith(LISTENER_PREFIX):
                    if msg.data != LISTENER_PREFIX + str(info.peer_id).encode():
                        raise RuntimeError(f"gossipsub: answer {msg.data!r} is not from the listener")
                    return {
                        "subscribedMillis": millis(subscribed),
                        "roundTripMillis": millis(time.perf_counter() - published),
                        "published": n,
                        "totalMillis": millis(time.perf_counter() - start),
                    }


async def run_mesh(host, pubsub, addr, timeout):
    """One node of a line of mesh_size nodes (interop/lib/mesh.mjs): dials mesh_dial,
    publishes every second once it has a subscribed peer, and prints the publishers heard
    from once there are mesh_size-1 of them; serves until killed or the timeout."""
    size = int(env("mesh_size", "0"))
    if size < 2:
        raise RuntimeError(f"bad mesh_size {env('mesh_size')!r}")
    start = time.perf_counter()
    sub = await pubsub.subscribe(GOSSIP_TOPIC)
    print(f"listenAddr={addr}", flush=True)
    for target in filter(None, env("mesh_dial").split(",")):
        await host.connect(info_from_p2p_addr(multiaddr.Multiaddr(target)))
    me = host.get_id()
    heard = set()

    async def listen():
        while True:
            msg = await sub.get()
            source = ID(msg.from_id)
            if source == me or not msg.data.startswith(MESH_PREFIX) or source in heard:
                continue
            heard.add(source)
            if len(heard) == size - 1:
                print(json.dumps({
                    "receivedFrom": sorted(str(p) for p in heard),
                    "meshMillis": millis(time.perf_counter() - start),
                }), flush=True)

    with trio.move_on_after(timeout):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(listen)
            n = 1
            while True:
                if pubsub.peer_topics.get(GOSSIP_TOPIC):
                    await pubsub.publish(GOSSIP_TOPIC, MESH_PREFIX + f"{me} #{n}".encode())
                    n += 1
                await trio.sleep(1)


async def serve_dht(host, addr, timeout):
    """The dht listener: a server holding its own /pk/ record and a provider record (stored
    through the value and provider stores: the KadDHT API takes str keys, see main)."""
    dht = KadDHT(host, DHTMode.SERVER)
    async with background_trio_service(dht):
        me = host.get_id()
        raw = me.to_bytes()
        # /pk/<peer id bytes> -> the public key (protobuf), the digest of the identity multihash
        dht.value_store.put(b"/pk/" + raw, raw[2:])
        provided = hashlib.sha256(f"ts-interop provider {me}".encode()).digest()
        dht.provider_store.add_provider(b"\x12\x20" + provided, PeerInfo(me, host.get_addrs()))
        print(f"listenAddr={addr}", flush=True)
        await trio.sleep(timeout)


async def main():
    scenario = env("scenario", "ping")
    if scenario == "dht" and env("is_dialer") == "true":
        # The scenario's records are /pk/<peer id bytes> (the only namespace besides ipns
        # that go-libp2p-kad-dht accepts); py-libp2p's KadDHT takes keys as str and
        # UTF-8-encodes them (put_value, get_value), so binary keys cannot be expressed.
        # The listener (a server) is supported: see serve_dht.
        unsupported("dht dialer (py-libp2p's KadDHT API takes str keys and UTF-8-encodes them; /pk/ keys are binary)")
    if scenario not in SCENARIOS:
        unsupported(f"scenario {scenario}")
    timeout = float(env("test_timeout_seconds", "30"))
    ip = env("ip", "127.0.0.1")
    transport = env("transport")
    listen = {"tcp": f"/ip4/{ip}/tcp/0", "ws": f"/ip4/{ip}/tcp/0/ws"}.get(transport)
    if listen is None:
        unsupported(f"transport {transport}")
    is_dialer = env("is_dialer") == "true" and scenario != "gossipsub-mesh"

    host = build_host(transport, env("security"), env("muxer"), None if is_dialer else [multiaddr.Multiaddr(listen)])

    if not is_dialer:
        async with host.run(listen_addrs=[multiaddr.Multiaddr(listen)]):
            if scenario == "perf":
                await PerfService(host).start()
            addr = str(host.get_addrs()[0])
            if "/p2p/" not in addr:
                addr += f"/p2p/{host.get_id()}"
            if scenario == "dht":
                await serve_dht(host, addr, timeout)
                return
            if scenario == "gossipsub-mesh":
                pubsub, router = gossipsub(host)
                async with background_trio_service(pubsub), background_trio_service(router):
                    await pubsub.wait_until_ready()
                    await run_mesh(host, pubsub, addr, timeout)
                os._exit(0)
            if scenario == "gossipsub":
                pubsub, router = gossipsub(host)
                async with background_trio_service(pubsub), background_trio_service(router):
                    await pubsub.wait_until_ready()
                    print(f"listenAddr={addr}", flush=True)
                    await serve_gossip(host, pubsub, timeout)
                return
            print(f"listenAddr={addr}", flush=True)
            # Serve until the runner stops us (SIGTERM) or the test times out.
            await trio.sleep(timeout)
        return

    # py-libp2p identifies each new connection in the background and keeps only the protocols
    # (not the agent version). The identify scenario needs the whole message, and js accepts
    # one inbound identify stream per connection, so the dialer runs the only identify itself.
    if scenario == "identify":
        host._schedule_identify = lambda *args, **kwargs: None

    info = info_from_p2p_addr(multiaddr.Multiaddr(env("listener_addr")))
    with trio.fail_after(timeout):
        async with host.run(listen_addrs=[]):
            start = time.perf_counter()
            if scenario == "dht":
                await serve_dht(host, addr, timeout)
                return
            if scenario == "gossipsub-mesh":
                pubsub, router = gossipsub(host)
                async with background_trio_service(pubsub), background_trio_service(router):
                    await pubsub.wait_until_ready()
                    await run_mesh(host, pubsub, addr, timeout)
                os._exit(0)
            if scenario == "gossipsub":
                pubsub, router = gossipsub(host)
                async with background_trio_service(pubsub), background_trio_service(router):
                    await pubsub.wait_until_ready()
                    print(json.dumps(await run_gossip(host, pubsub, info, start)), flush=True)
                os._exit(0)
            await host.connect(info)
            if scenario == "perf":
                result = await perf(host, info.peer_id, time.perf_counter() - start)
            elif scenario == "ping":
                rtts = await PingService(host).ping(info.peer_id)
                result = {
                    "handshakePlusOneRTTMillis": millis(time.perf_counter() - start),
                    "pingRTTMilllis": rtts[0],
                }
            else:
                msg, protocols = await identify(host, info.peer_id)
                result = {
                    "agentVersion": msg.agent_version,
                    "protocolVersion": msg.protocol_version,
                    "protocols": protocols,
                    "identifyMillis": millis(time.perf_counter() - start),
                }
            print(json.dumps(result), flush=True)
    # Leave without waiting for the library's background tasks to wind down.
    os._exit(0)


if __name__ == "__main__":
    try:
        trio.run(main)
    except trio.TooSlowError:
        print("error: test timed out", file=sys.stderr)
        sys.exit(EXIT_FAIL)
    except Exception as err:  # noqa: BLE001 - any failure is a failed cell
        print(f"error: {type(err).__name__}: {err}", file=sys.stderr)
        sys.exit(EXIT_FAIL)
