//! The rust-libp2p peer of the ts-libp2p interop matrix.
//!
//! The command-line contract (environment, output lines, exit codes) is described in
//! interop/README.md; every peer in interop/peers follows it.

mod scenarios;

use std::{env, error::Error, process, time::Duration};

use futures::{AsyncRead, AsyncWrite, StreamExt};
use libp2p::{
    core::{muxing::StreamMuxerBox, transport::Boxed, upgrade::Version},
    gossipsub, identify, identity, kad, noise, ping,
    swarm::{self, behaviour::toggle::Toggle, NetworkBehaviour, SwarmEvent},
    tcp, tls, websocket, yamux, Multiaddr, PeerId, Swarm, Transport,
};
use tokio::time::{timeout, Instant};

const EXIT_FAIL: i32 = 1;
const EXIT_UNSUPPORTED: i32 = 3;
const PING_PROTOCOL: &str = "/ipfs/ping/1.0.0";
const ID_PROTOCOL: &str = "/ipfs/id/1.0.0";

pub type BoxError = Box<dyn Error + Send + Sync>;

#[derive(NetworkBehaviour)]
pub struct Behaviour {
    ping: ping::Behaviour,
    identify: identify::Behaviour,
    /// Raw streams: the perf protocol.
    stream: libp2p_stream::Behaviour,
    kad: Toggle<kad::Behaviour<kad::store::MemoryStore>>,
    gossipsub: Toggle<gossipsub::Behaviour>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e}");
        process::exit(EXIT_FAIL);
    }
}

fn unsupported(what: &str) -> ! {
    println!("unsupported: {what}");
    process::exit(EXIT_UNSUPPORTED);
}

fn env_or(name: &str, default: &str) -> String {
    env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

async fn run() -> Result<(), BoxError> {
    let scenario = env_or("scenario", "ping");
    if ![
        "ping",
        "identify",
        "perf",
        "dht",
        "gossipsub",
        "gossipsub-mesh",
        "loop",
    ]
    .contains(&scenario.as_str())
    {
        unsupported(&format!("scenario {scenario}"));
    }
    let test_timeout = Duration::from_secs(env_or("test_timeout_seconds", "30").parse()?);
    let ip = env_or("ip", "127.0.0.1");
    let is_dialer = env::var("is_dialer").as_deref() == Ok("true");
    let (transport_name, security, muxer) = (
        env_or("transport", ""),
        env_or("security", ""),
        env_or("muxer", ""),
    );

    let new_swarm = || -> Result<(Swarm<Behaviour>, Multiaddr), BoxError> {
        let keypair = identity::Keypair::generate_ed25519();
        let peer_id = keypair.public().to_peer_id();
        let (transport, listen) =
            build_transport(&keypair, &transport_name, &security, &muxer, &ip)?;
        let kad = (scenario == "dht").then(|| {
            // A server from the start: on loopback there is no confirmed external address
            // that would switch it to server mode by itself.
            let mut kad = kad::Behaviour::with_config(
                peer_id,
                kad::store::MemoryStore::new(peer_id),
                kad::Config::new(kad::PROTOCOL_NAME),
            );
            kad.set_mode(Some(kad::Mode::Server));
            kad
        });
        let gossipsub = match scenario.as_str() {
            "gossipsub" | "gossipsub-mesh" => Some(scenarios::gossipsub_behaviour(&keypair)?),
            _ => None,
        };
        let behaviour = Behaviour {
            ping: ping::Behaviour::new(ping::Config::new()),
            identify: identify::Behaviour::new(identify::Config::new(
                "ipfs/0.1.0".to_string(),
                keypair.public(),
            )),
            stream: libp2p_stream::Behaviour::new(),
            kad: kad.into(),
            gossipsub: gossipsub.into(),
        };
        let swarm = Swarm::new(
            transport,
            behaviour,
            peer_id,
            swarm::Config::with_tokio_executor().with_idle_connection_timeout(test_timeout),
        );
        Ok((swarm, listen))
    };

    if is_dialer {
        let addr: Multiaddr = env::var("listener_addr")
            .map_err(|_| "listener_addr is not set")?
            .parse()?;
        let listener = match addr.iter().last() {
            Some(libp2p::multiaddr::Protocol::P2p(id)) => id,
            _ => return Err(format!("listener_addr {addr} does not end with /p2p/<id>").into()),
        };
        let work = async {
            match scenario.as_str() {
                "dht" => {
                    let (_, listen) = new_swarm()?;
                    scenarios::run_dht(|| Ok(new_swarm()?.0), listen, addr, listener).await
                }
                "perf" => scenarios::run_perf(&mut new_swarm()?.0, addr, listener).await,
                "gossipsub" => scenarios::run_gossip(&mut new_swarm()?.0, addr, listener).await,
                "loop" if env::var("loop_hold").is_ok() => {
                    run_hold(&mut new_swarm()?.0, addr, listener).await
                }
                "loop" => run_loop(&mut new_swarm()?.0, addr, listener).await,
                _ => dial(&mut new_swarm()?.0, addr, &scenario).await,
            }
        };
        timeout(test_timeout, work)
            .await
            .map_err(|_| format!("{scenario} did not finish within {test_timeout:?}"))?
    } else if scenario == "gossipsub-mesh" {
        // One node of a line of mesh_size nodes (interop/lib/mesh.mjs), served until the
        // runner stops it or the test times out.
        let (mut swarm, listen) = new_swarm()?;
        match timeout(test_timeout, scenarios::run_mesh(&mut swarm, listen)).await {
            Ok(Err(e)) => Err(e),
            _ => Ok(()),
        }
    } else {
        let (mut swarm, listen) = new_swarm()?;
        let peer_id = *swarm.local_peer_id();
        match scenario.as_str() {
            "perf" => scenarios::serve_perf(&mut swarm)?,
            "dht" => scenarios::setup_dht_listener(&mut swarm)?,
            _ => {}
        }
        swarm.listen_on(listen)?;
        // Serve until the runner stops us or the test times out.
        let _ = timeout(test_timeout, async {
            loop {
                match swarm.select_next_some().await {
                    SwarmEvent::NewListenAddr { address, .. } => {
                        println!("listenAddr={address}/p2p/{peer_id}");
                    }
                    SwarmEvent::Behaviour(BehaviourEvent::Gossipsub(event)) => {
                        scenarios::on_listener_gossip(&mut swarm, event)
                    }
                    _ => {}
                }
            }
        })
        .await;
        Ok(())
    }
}

async fn dial(
    swarm: &mut Swarm<Behaviour>,
    addr: Multiaddr,
    scenario: &str,
) -> Result<(), BoxError> {
    let start = Instant::now();
    swarm.dial(addr.clone())?;
    loop {
        match swarm.select_next_some().await {
            SwarmEvent::OutgoingConnectionError { error, .. } => {
                return Err(format!("dial {addr}: {error}").into())
            }
            SwarmEvent::Behaviour(BehaviourEvent::Ping(ping::Event { result, .. }))
                if scenario == "ping" =>
            {
                let rtt = result.map_err(|e| format!("ping: {e}"))?;
                let json = serde_json::json!({
                    "handshakePlusOneRTTMillis": millis(start.elapsed()),
                    "pingRTTMilllis": millis(rtt),
                });
                println!("{json}");
                return Ok(());
            }
            SwarmEvent::Behaviour(BehaviourEvent::Identify(event)) if scenario == "identify" => {
                match event {
                    identify::Event::Received { info, .. } => {
                        let mut protocols: Vec<String> =
                            info.protocols.iter().map(|p| p.to_string()).collect();
                        protocols.sort();
                        check_identify(&protocols, &info.agent_version)?;
                        let json = serde_json::json!({
                            "agentVersion": info.agent_version,
                            "protocolVersion": info.protocol_version,
                            "protocols": protocols,
                            "identifyMillis": millis(start.elapsed()),
                        });
                        println!("{json}");
                        return Ok(());
                    }
                    identify::Event::Error { error, .. } => {
                        return Err(format!("identify: {error}").into())
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// utime + stime of this process in ms (/proc/self/stat, 10 ms ticks), or 0 where there is no /proc.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let rest = stat.get(stat.rfind(')')? + 2..)?.to_string();
            let fields: Vec<&str> = rest.split(' ').collect();
            let ticks =
                fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some(ticks * 10.0)
        })
        .unwrap_or(0.0)
}

/// Benchmark dialer (not an interop scenario; benchmarks/lib/sections.mjs `loops`): `loop_iterations`
/// sequential connections after `loop_warmup` (default 10), each: new connection (dial + security + muxer),
/// this node's ping on it (stream + 32 bytes echoed: the time to first byte), close, wait until closed.
/// Prints one JSON line: connectionsPerSecond, ttfbMs (every iteration), dialerCpuMsPerConnection.
async fn run_loop(
    swarm: &mut Swarm<Behaviour>,
    addr: Multiaddr,
    listener: PeerId,
) -> Result<(), BoxError> {
    use libp2p::swarm::dial_opts::{DialOpts, PeerCondition};
    let iterations: usize = env_or("loop_iterations", "300").parse()?;
    let warmup: usize = env_or("loop_warmup", "10").parse()?;
    let mut ttfb = Vec::with_capacity(iterations);
    let (mut start, mut cpu0) = (Instant::now(), cpu_ms());
    for i in 0..warmup + iterations {
        if i == warmup {
            (start, cpu0) = (Instant::now(), cpu_ms());
        }
        let begin = Instant::now();
        let opts = DialOpts::peer_id(listener)
            .addresses(vec![addr.clone()])
            .condition(PeerCondition::Always)
            .build();
        let id = opts.connection_id();
        swarm.dial(opts)?;
        let mut pinged = false;
        loop {
            match swarm.select_next_some().await {
                SwarmEvent::OutgoingConnectionError {
                    connection_id,
                    error,
                    ..
                } if connection_id == id => return Err(format!("dial {addr}: {error}").into()),
                SwarmEvent::Behaviour(BehaviourEvent::Ping(ping::Event {
                    connection,
                    result,
                    ..
                })) if connection == id && !pinged => {
                    result.map_err(|e| format!("ping: {e}"))?;
                    if i >= warmup {
                        ttfb.push(millis(begin.elapsed()));
                    }
                    pinged = true;
                    swarm.close_connection(id);
                }
                SwarmEvent::ConnectionClosed { connection_id, .. } if connection_id == id => {
                    if !pinged {
                        return Err("connection closed before its ping".into());
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let json = serde_json::json!({
        "connectionsPerSecond": iterations as f64 / secs,
        "ttfbMs": ttfb,
        "dialerCpuMsPerConnection": (cpu_ms() - cpu0) / iterations as f64,
    });
    println!("{json}");
    Ok(())
}

/// VmRSS of a process in KiB (/proc/<pid>/status), or 0 where there is no /proc.
fn rss_kib(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0.0)
}

/// Benchmark dialer, memory: opens `loop_hold` connections to the listener and keeps them (each with its
/// ping and identify done), waits a second, and prints one JSON line with the RSS growth per connection of this
/// process and, when `listener_pid` is set, of the listener (read from /proc).
async fn run_hold(
    swarm: &mut Swarm<Behaviour>,
    addr: Multiaddr,
    listener: PeerId,
) -> Result<(), BoxError> {
    use libp2p::swarm::dial_opts::{DialOpts, PeerCondition};
    let n: usize = env_or("loop_hold", "1000").parse()?;
    let listener_pid = env_or("listener_pid", "");
    let (d0, l0) = (rss_kib("self"), rss_kib(&listener_pid));
    let rss0 = rss_kib("self");
    let mut open = 0;
    for _ in 0..n {
        let opts = DialOpts::peer_id(listener)
            .addresses(vec![addr.clone()])
            .condition(PeerCondition::Always)
            .build();
        let id = opts.connection_id();
        swarm.dial(opts)?;
        loop {
            match swarm.select_next_some().await {
                SwarmEvent::OutgoingConnectionError {
                    connection_id,
                    error,
                    ..
                } if connection_id == id => return Err(format!("dial {addr}: {error}").into()),
                SwarmEvent::ConnectionEstablished { connection_id, .. } if connection_id == id => {
                    open += 1;
                    break;
                }
                _ => {}
            }
        }
    }
    // let identify and ping finish on every connection
    let settle = tokio::time::sleep(Duration::from_secs(1));
    tokio::pin!(settle);
    loop {
        tokio::select! {
            _ = &mut settle => break,
            event = swarm.select_next_some() => {
                if let SwarmEvent::ConnectionClosed { .. } = event {
                    open -= 1;
                }
            }
        }
    }
    if open != n {
        return Err(format!("{} of {n} connections closed while held", n - open).into());
    }
    let (d1, l1) = (rss_kib("self"), rss_kib(&listener_pid));
    let json = serde_json::json!({
        "connections": n,
        "dialer": { "rssKiBPerConnection": (d1 - d0) / n as f64, "rssMiBIdleNode": rss0 / 1024.0 },
        "listener": if listener_pid.is_empty() { serde_json::Value::Null } else {
            serde_json::json!({ "rssKiBPerConnection": (l1 - l0) / n as f64, "rssMiBIdleNode": l0 / 1024.0 })
        },
    });
    println!("{json}");
    Ok(())
}

/// What every peer in the matrix must announce.
fn check_identify(protocols: &[String], agent: &str) -> Result<(), BoxError> {
    for want in [PING_PROTOCOL, ID_PROTOCOL] {
        if !protocols.iter().any(|p| p == want) {
            return Err(
                format!("identify: remote does not list {want} (got {protocols:?})").into(),
            );
        }
    }
    if agent.is_empty() {
        return Err("identify: remote sent no agent version".into());
    }
    Ok(())
}

pub fn millis(d: Duration) -> f64 {
    d.as_micros() as f64 / 1000.0
}

fn build_transport(
    keypair: &identity::Keypair,
    transport: &str,
    security: &str,
    muxer: &str,
    ip: &str,
) -> Result<(Boxed<(PeerId, StreamMuxerBox)>, Multiaddr), BoxError> {
    let tcp = || tcp::tokio::Transport::new(tcp::Config::default().nodelay(true));
    match transport {
        "tcp" => Ok((
            upgrade(tcp(), keypair, security, muxer)?,
            format!("/ip4/{ip}/tcp/0").parse()?,
        )),
        "ws" => Ok((
            upgrade(websocket::Config::new(tcp()), keypair, security, muxer)?,
            format!("/ip4/{ip}/tcp/0/ws").parse()?,
        )),
        other => unsupported(&format!("transport {other}")),
    }
}

/// Secures and multiplexes a raw transport. rust-libp2p negotiates the muxer with
/// multistream-select only: it neither offers nor reads the noise extension / TLS ALPN muxer
/// list, so remote peers that do must fall back to multistream-select.
fn upgrade<T>(
    base: T,
    keypair: &identity::Keypair,
    security: &str,
    muxer: &str,
) -> Result<Boxed<(PeerId, StreamMuxerBox)>, BoxError>
where
    T: Transport + Send + Unpin + 'static,
    T::Output: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T::Error: Send + Sync + 'static,
    T::Dial: Send + 'static,
    T::ListenerUpgrade: Send + 'static,
{
    let yamux = yamux::Config::default;
    let mplex = libp2p_mplex::Config::new;
    Ok(match (security, muxer) {
        ("noise", "yamux") => base
            .upgrade(Version::V1Lazy)
            .authenticate(noise::Config::new(keypair)?)
            .multiplex(yamux())
            .boxed(),
        ("noise", "mplex") => base
            .upgrade(Version::V1Lazy)
            .authenticate(noise::Config::new(keypair)?)
            .multiplex(mplex())
            .boxed(),
        ("tls", "yamux") => base
            .upgrade(Version::V1Lazy)
            .authenticate(tls::Config::new(keypair)?)
            .multiplex(yamux())
            .boxed(),
        ("tls", "mplex") => base
            .upgrade(Version::V1Lazy)
            .authenticate(tls::Config::new(keypair)?)
            .multiplex(mplex())
            .boxed(),
        ("noise" | "tls", other) => unsupported(&format!("muxer {other}")),
        (other, _) => unsupported(&format!("security {other}")),
    })
}
