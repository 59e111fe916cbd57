//! The perf, dht and gossipsub scenarios of the rust-libp2p peer. What each does, and the
//! lines it prints, is described in interop/README.md; the go peer is the reference.

use std::{collections::HashSet, time::Duration};

use futures::{AsyncReadExt, AsyncWriteExt, StreamExt};
use libp2p::kad::store::RecordStore;
use libp2p::{
    gossipsub, kad, multihash::Multihash, swarm::SwarmEvent, Multiaddr, PeerId, StreamProtocol,
    Swarm,
};
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use crate::{millis, Behaviour, BehaviourEvent, BoxError};

// ---- perf: libp2p/specs perf/perf.md, written over libp2p-stream (the libp2p-perf crate on
// crates.io, 0.3.0, predates libp2p 0.57).

pub const PERF_PROTOCOL: StreamProtocol = StreamProtocol::new("/perf/1.0.0");
const PERF_BLOCK: usize = 64 * 1024;
const DEFAULT_PERF_BYTES: u64 = 1 << 20;

async fn write_zeros(stream: &mut libp2p::Stream, mut n: u64) -> std::io::Result<()> {
    let block = [0u8; PERF_BLOCK];
    while n > 0 {
        let chunk = n.min(PERF_BLOCK as u64) as usize;
        stream.write_all(&block[..chunk]).await?;
        n -= chunk as u64;
    }
    Ok(())
}

async fn drain(stream: &mut libp2p::Stream) -> std::io::Result<u64> {
    let mut buf = vec![0u8; PERF_BLOCK];
    let mut total = 0u64;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n as u64;
    }
}

/// Serves every inbound perf stream: read the 8-byte size, drain the upload, send that many bytes.
pub fn serve_perf(swarm: &mut Swarm<Behaviour>) -> Result<(), BoxError> {
    let mut incoming = swarm
        .behaviour()
        .stream
        .new_control()
        .accept(PERF_PROTOCOL)?;
    tokio::spawn(async move {
        while let Some((_, mut stream)) = incoming.next().await {
            tokio::spawn(async move {
                let mut header = [0u8; 8];
                let served: std::io::Result<()> = async {
                    stream.read_exact(&mut header).await?;
                    drain(&mut stream).await?;
                    write_zeros(&mut stream, u64::from_be_bytes(header)).await?;
                    stream.close().await
                }
                .await;
                if let Err(e) = served {
                    eprintln!("perf: serving a stream: {e}");
                }
            });
        }
    });
    Ok(())
}

fn env_bytes(name: &str) -> Result<u64, BoxError> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v.parse().map_err(|_| format!("bad {name} {v:?}").into()),
        _ => Ok(DEFAULT_PERF_BYTES),
    }
}

async fn perf_client(
    mut control: libp2p_stream::Control,
    peer: PeerId,
    connect: Duration,
) -> Result<serde_json::Value, BoxError> {
    let upload = env_bytes("perf_upload_bytes")?;
    let download = env_bytes("perf_download_bytes")?;
    let start = Instant::now();
    let mut stream = control
        .open_stream(peer, PERF_PROTOCOL)
        .await
        .map_err(|e| format!("perf: open stream: {e}"))?;
    stream.write_all(&download.to_be_bytes()).await?;
    write_zeros(&mut stream, upload).await?;
    stream.close().await?;
    let uploaded = Instant::now();
    let got = drain(&mut stream).await?;
    let done = Instant::now();
    if got != download {
        return Err(format!("perf: downloaded {got} bytes, asked for {download}").into());
    }
    let up = (uploaded - start).as_secs_f64();
    let down = (done - uploaded).as_secs_f64();
    let rate = |n: u64, s: f64| if s > 0.0 { n as f64 / s } else { 0.0 };
    Ok(serde_json::json!({
        "type": "final",
        "connectMillis": millis(connect),
        "uploadBytes": upload,
        "downloadBytes": download,
        "uploadSeconds": up,
        "downloadSeconds": down,
        "timeSeconds": (done - start).as_secs_f64(),
        "uploadBytesPerSecond": rate(upload, up),
        "downloadBytesPerSecond": rate(download, down),
    }))
}

/// Dials the listener and runs one perf measurement while the swarm is driven.
pub async fn run_perf(
    swarm: &mut Swarm<Behaviour>,
    addr: Multiaddr,
    peer: PeerId,
) -> Result<(), BoxError> {
    let start = Instant::now();
    swarm.dial(addr.clone())?;
    let connect = loop {
        match swarm.select_next_some().await {
            SwarmEvent::ConnectionEstablished { peer_id, .. } if peer_id == peer => {
                break start.elapsed()
            }
            SwarmEvent::OutgoingConnectionError { error, .. } => {
                return Err(format!("dial {addr}: {error}").into())
            }
            _ => {}
        }
    };
    let mut task = tokio::spawn(perf_client(
        swarm.behaviour().stream.new_control(),
        peer,
        connect,
    ));
    loop {
        tokio::select! {
            done = &mut task => {
                let json = done.map_err(|e| format!("perf task: {e}"))??;
                println!("{json}");
                return Ok(());
            }
            _ = swarm.select_next_some() => {}
        }
    }
}

// ---- dht: public key records (/pk/<peer id bytes> -> the Ed25519 public key, protobuf
// encoded, which an Ed25519 peer id carries as an identity multihash) and a provider record
// for sha2-256("ts-interop provider <peer id>"); both derived from peer ids.

pub fn record_key(peer: &PeerId) -> kad::RecordKey {
    let mut key = b"/pk/".to_vec();
    key.extend(peer.to_bytes());
    kad::RecordKey::new(&key)
}

pub fn record_value(peer: &PeerId) -> Vec<u8> {
    let mh: &Multihash<64> = peer.as_ref();
    mh.digest().to_vec()
}

pub fn provider_key(peer: &PeerId) -> kad::RecordKey {
    let digest = Sha256::digest(format!("ts-interop provider {peer}").as_bytes());
    let mut key = vec![0x12, 0x20];
    key.extend_from_slice(&digest);
    kad::RecordKey::new(&key)
}

/// Stores the listener's record and provider record locally (there are no peers yet).
pub fn setup_dht_listener(swarm: &mut Swarm<Behaviour>) -> Result<(), BoxError> {
    let me = *swarm.local_peer_id();
    let kad = swarm
        .behaviour_mut()
        .kad
        .as_mut()
        .ok_or("no kad behaviour")?;
    kad.store_mut()
        .put(kad::Record::new(record_key(&me), record_value(&me)))
        .map_err(|e| format!("dht: store own record: {e}"))?;
    // Stores the provider record, then finds no peer to send it to (ignored).
    kad.start_providing(provider_key(&me))
        .map_err(|e| format!("dht: provide locally: {e}"))?;
    Ok(())
}

/// Drives the swarm until the query `id` progresses.
async fn progress(
    swarm: &mut Swarm<Behaviour>,
    id: kad::QueryId,
) -> (kad::QueryResult, kad::ProgressStep) {
    loop {
        if let SwarmEvent::Behaviour(BehaviourEvent::Kad(kad::Event::OutboundQueryProgressed {
            id: qid,
            result,
            step,
            ..
        })) = swarm.select_next_some().await
        {
            if qid == id {
                return (result, step);
            }
        }
    }
}

fn kad_of(swarm: &mut Swarm<Behaviour>) -> &mut kad::Behaviour<kad::store::MemoryStore> {
    swarm
        .behaviour_mut()
        .kad
        .as_mut()
        .expect("the dht scenario has a kad behaviour")
}

async fn expect_value(
    swarm: &mut Swarm<Behaviour>,
    key: kad::RecordKey,
    want: Vec<u8>,
) -> Result<(), BoxError> {
    let id = kad_of(swarm).get_record(key.clone());
    loop {
        match progress(swarm, id).await.0 {
            kad::QueryResult::GetRecord(Ok(kad::GetRecordOk::FoundRecord(found))) => {
                if found.record.value == want {
                    return Ok(());
                }
                return Err(format!(
                    "dht: get {:02x?}: got {:02x?}, want {:02x?}",
                    key.to_vec(),
                    found.record.value,
                    want
                )
                .into());
            }
            kad::QueryResult::GetRecord(Ok(_)) => {
                return Err(format!("dht: get {:02x?}: not found", key.to_vec()).into())
            }
            kad::QueryResult::GetRecord(Err(e)) => return Err(format!("dht: get: {e}").into()),
            _ => {}
        }
    }
}

async fn expect_provider(
    swarm: &mut Swarm<Behaviour>,
    key: kad::RecordKey,
    want: PeerId,
) -> Result<(), BoxError> {
    let id = kad_of(swarm).get_providers(key);
    let mut seen = HashSet::new();
    loop {
        match progress(swarm, id).await.0 {
            kad::QueryResult::GetProviders(Ok(kad::GetProvidersOk::FoundProviders {
                providers,
                ..
            })) => {
                if providers.contains(&want) {
                    return Ok(());
                }
                seen.extend(providers);
            }
            kad::QueryResult::GetProviders(Ok(_)) => {
                return Err(format!("dht: find providers: {want} not among {seen:?}").into())
            }
            kad::QueryResult::GetProviders(Err(e)) => {
                return Err(format!("dht: find providers: {e}").into())
            }
            _ => {}
        }
    }
}

/// Retries f every 100 ms until it succeeds or the test times out (the caller's timeout):
/// the listener stores what A sent (ADD_PROVIDER has no answer) in its own time.
async fn eventually<F>(swarm: &mut Swarm<Behaviour>, mut f: F) -> Result<(), BoxError>
where
    F: for<'a> FnMut(
        &'a mut Swarm<Behaviour>,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), BoxError>> + 'a>,
    >,
{
    loop {
        if f(swarm).await.is_ok() {
            return Ok(());
        }
        let wait = tokio::time::sleep(Duration::from_millis(100));
        tokio::pin!(wait);
        loop {
            tokio::select! {
                _ = &mut wait => break,
                _ = swarm.select_next_some() => {}
            }
        }
    }
}

/// Listens (a server announces its address: ADD_PROVIDER carries the external addresses, and
/// on loopback the listen address is the only one), then connects to the listener.
pub async fn connect_dht(
    swarm: &mut Swarm<Behaviour>,
    listen: Multiaddr,
    addr: Multiaddr,
    peer: PeerId,
) -> Result<(), BoxError> {
    swarm.listen_on(listen)?;
    loop {
        if let SwarmEvent::NewListenAddr { address, .. } = swarm.select_next_some().await {
            swarm.add_external_address(address);
            break;
        }
    }
    kad_of(swarm).add_address(&peer, addr.clone());
    swarm.dial(addr.clone())?;
    loop {
        match swarm.select_next_some().await {
            SwarmEvent::ConnectionEstablished { peer_id, .. } if peer_id == peer => return Ok(()),
            SwarmEvent::OutgoingConnectionError { error, .. } => {
                return Err(format!("dial {addr}: {error}").into())
            }
            _ => {}
        }
    }
}

fn ms(t: Instant) -> serde_json::Value {
    serde_json::json!(millis(t.elapsed()))
}

/// Node A gets the listener's record and providers, puts and provides its own, and goes
/// away; node B, which knows only the listener, must then find A's record and A.
pub async fn run_dht<F>(
    new_swarm: F,
    listen: Multiaddr,
    addr: Multiaddr,
    listener: PeerId,
) -> Result<(), BoxError>
where
    F: Fn() -> Result<Swarm<Behaviour>, BoxError>,
{
    let start = Instant::now();
    let mut out = serde_json::Map::new();
    let mut a = new_swarm()?;
    let a_id = *a.local_peer_id();
    let t = Instant::now();
    connect_dht(&mut a, listen.clone(), addr.clone(), listener).await?;
    out.insert("connectMillis".into(), ms(t));
    let t = Instant::now();
    expect_value(&mut a, record_key(&listener), record_value(&listener)).await?;
    out.insert("getMillis".into(), ms(t));
    let t = Instant::now();
    expect_provider(&mut a, provider_key(&listener), listener).await?;
    out.insert("findProvidersMillis".into(), ms(t));

    let t = Instant::now();
    let id = kad_of(&mut a).put_record(
        kad::Record::new(record_key(&a_id), record_value(&a_id)),
        kad::Quorum::One,
    )?;
    match progress(&mut a, id).await.0 {
        kad::QueryResult::PutRecord(Ok(_)) => {}
        kad::QueryResult::PutRecord(Err(e)) => return Err(format!("dht: put: {e}").into()),
        other => return Err(format!("dht: put: unexpected {other:?}").into()),
    }
    out.insert("putMillis".into(), ms(t));
    let t = Instant::now();
    let id = kad_of(&mut a).start_providing(provider_key(&a_id))?;
    match progress(&mut a, id).await.0 {
        kad::QueryResult::StartProviding(Ok(_)) => {}
        kad::QueryResult::StartProviding(Err(e)) => return Err(format!("dht: provide: {e}").into()),
        other => return Err(format!("dht: provide: unexpected {other:?}").into()),
    }
    out.insert("provideMillis".into(), ms(t));
    // ADD_PROVIDER has no answer: one more round trip to the listener before A goes away, so
    // that the message is not lost with the connection.
    let id = kad_of(&mut a).get_closest_peers(PeerId::random());
    loop {
        if progress(&mut a, id).await.1.last {
            break;
        }
    }
    drop(a);

    let mut b = new_swarm()?;
    connect_dht(&mut b, listen, addr, listener).await?;
    let t = Instant::now();
    eventually(&mut b, |s| {
        Box::pin(expect_value(s, record_key(&a_id), record_value(&a_id)))
    })
    .await?;
    out.insert("verifyGetMillis".into(), ms(t));
    let t = Instant::now();
    eventually(&mut b, |s| {
        Box::pin(expect_provider(s, provider_key(&a_id), a_id))
    })
    .await?;
    out.insert("verifyFindProvidersMillis".into(), ms(t));
    out.insert("totalMillis".into(), ms(start));
    println!("{}", serde_json::Value::Object(out));
    Ok(())
}

// ---- gossipsub: both join "ts-interop"; the dialer publishes until the listener answers.

pub const GOSSIP_TOPIC: &str = "ts-interop";
const DIALER_PREFIX: &str = "ts-interop gossip from dialer ";
const LISTENER_PREFIX: &str = "ts-interop gossip from listener ";

pub fn gossipsub_behaviour(
    keypair: &libp2p::identity::Keypair,
) -> Result<gossipsub::Behaviour, BoxError> {
    // Flood publishing (the default) reaches a subscribed peer before any mesh forms; the
    // first heartbeat (5 s by default) is brought forward; no peer scoring is enabled, so
    // many peers on 127.0.0.1 are not penalised.
    let config = gossipsub::ConfigBuilder::default()
        .heartbeat_initial_delay(Duration::from_millis(100))
        .flood_publish(true)
        .validation_mode(gossipsub::ValidationMode::Strict)
        .build()?;
    let mut behaviour = gossipsub::Behaviour::new(
        gossipsub::MessageAuthenticity::Signed(keypair.clone()),
        config,
    )?;
    behaviour.subscribe(&gossipsub::IdentTopic::new(GOSSIP_TOPIC))?;
    Ok(behaviour)
}

/// The listener's handling of one swarm event: answer every dialer message.
pub fn on_listener_gossip(swarm: &mut Swarm<Behaviour>, event: gossipsub::Event) {
    if let gossipsub::Event::Message { message, .. } = event {
        if message.data.starts_with(DIALER_PREFIX.as_bytes()) {
            let answer = format!("{LISTENER_PREFIX}{}", swarm.local_peer_id());
            if let Some(g) = swarm.behaviour_mut().gossipsub.as_mut() {
                if let Err(e) = g.publish(gossipsub::IdentTopic::new(GOSSIP_TOPIC), answer) {
                    eprintln!("gossipsub: answer: {e}");
                }
            }
        }
    }
}

pub async fn run_gossip(
    swarm: &mut Swarm<Behaviour>,
    addr: Multiaddr,
    listener: PeerId,
) -> Result<(), BoxError> {
    let start = Instant::now();
    let topic = gossipsub::IdentTopic::new(GOSSIP_TOPIC);
    let me = *swarm.local_peer_id();
    swarm.dial(addr.clone())?;
    let mut subscribed: Option<Duration> = None;
    let mut published: Option<Instant> = None;
    let mut count = 0u32;
    let mut republish = tokio::time::interval(Duration::from_secs(1));
    loop {
        let mut publish = false;
        tokio::select! {
            _ = republish.tick() => publish = subscribed.is_some(),
            event = swarm.select_next_some() => match event {
                SwarmEvent::OutgoingConnectionError { error, .. } => return Err(format!("dial {addr}: {error}").into()),
                SwarmEvent::Behaviour(BehaviourEvent::Gossipsub(gossipsub::Event::Subscribed { peer_id, topic: t, .. }))
                    if peer_id == listener && t == topic.hash() && subscribed.is_none() => {
                    subscribed = Some(start.elapsed());
                    publish = true;
                    republish.reset();
                }
                SwarmEvent::Behaviour(BehaviourEvent::Gossipsub(gossipsub::Event::Message { message, .. }))
                    if message.data.starts_with(LISTENER_PREFIX.as_bytes()) => {
                    let want = format!("{LISTENER_PREFIX}{listener}");
                    if message.data != want.as_bytes() {
                        return Err(format!("gossipsub: answer {:?} is not from the listener", String::from_utf8_lossy(&message.data)).into());
                    }
                    let json = serde_json::json!({
                        "subscribedMillis": millis(subscribed.unwrap_or_default()),
                        "roundTripMillis": millis(published.map(|p| p.elapsed()).unwrap_or_default()),
                        "published": count,
                        "totalMillis": millis(start.elapsed()),
                    });
                    println!("{json}");
                    return Ok(());
                }
                _ => {}
            }
        }
        if publish {
            count += 1;
            published.get_or_insert_with(Instant::now);
            let gs = swarm
                .behaviour_mut()
                .gossipsub
                .as_mut()
                .ok_or("no gossipsub behaviour")?;
            gs.publish(topic.clone(), format!("{DIALER_PREFIX}{me} #{count}"))
                .map_err(|e| format!("gossipsub: publish: {e}"))?;
        }
    }
}

// ---- gossipsub-mesh: one node of a line (interop/lib/mesh.mjs).

const MESH_PREFIX: &str = "ts-interop mesh from ";

/// Listens, prints the readiness line, dials mesh_dial, publishes every second while it has a
/// subscribed peer, and prints the publishers heard from once there are mesh_size-1 of them;
/// serves until the caller's timeout (or the runner) stops it.
pub async fn run_mesh(swarm: &mut Swarm<Behaviour>, listen: Multiaddr) -> Result<(), BoxError> {
    let size: usize = std::env::var("mesh_size")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|n| *n >= 2)
        .ok_or("bad mesh_size")?;
    let start = Instant::now();
    let topic = gossipsub::IdentTopic::new(GOSSIP_TOPIC);
    let me = *swarm.local_peer_id();
    swarm.listen_on(listen)?;
    loop {
        if let SwarmEvent::NewListenAddr { address, .. } = swarm.select_next_some().await {
            println!("listenAddr={address}/p2p/{me}");
            break;
        }
    }
    for addr in std::env::var("mesh_dial")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
    {
        swarm.dial(addr.parse::<Multiaddr>()?)?;
    }
    let mut heard = HashSet::new();
    let mut reported = false;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut count = 0u32;
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let gs = swarm.behaviour_mut().gossipsub.as_mut().ok_or("no gossipsub behaviour")?;
                let hash = topic.hash();
                if gs.all_peers().any(|(_, topics)| topics.contains(&&hash)) {
                    count += 1;
                    if let Err(e) = gs.publish(topic.clone(), format!("{MESH_PREFIX}{me} #{count}")) {
                        eprintln!("gossipsub: publish: {e}");
                    }
                }
            }
            event = swarm.select_next_some() => {
                if let SwarmEvent::Behaviour(BehaviourEvent::Gossipsub(gossipsub::Event::Message { message, .. })) = event {
                    if let Some(source) = message.source {
                        if source != me && message.data.starts_with(MESH_PREFIX.as_bytes()) {
                            heard.insert(source);
                        }
                    }
                    if !reported && heard.len() >= size - 1 {
                        let mut ids: Vec<String> = heard.iter().map(|p| p.to_string()).collect();
                        ids.sort();
                        println!("{}", serde_json::json!({ "receivedFrom": ids, "meshMillis": millis(start.elapsed()) }));
                        reported = true;
                    }
                }
            }
        }
    }
}
