//! The rust side of the mDNS interop check (interop/mdns/run.mjs): a rust-libp2p swarm (tcp + noise + yamux +
//! ping + identify) listening on one IPv4 address, discovering with libp2p-mdns (tokio). Started inside a network
//! namespace made by the runner, it prints one JSON object per line on stdout, as interop/mdns/go does:
//!   {"event":"ready","id":"...","addrs":[...]}
//!   {"event":"found","id":"...","addrs":[...]}         each mdns Discovered entry
//!   {"event":"connected","id":"...","rttMs":n}          first successful ping of a peer it dialed after finding it
//!   {"event":"connect-error","id":"...","error":"..."}
//! Usage: mdns-rust <listen ip> <timeout seconds> [dial|no-dial]. It exits when stdin ends or the timeout passes.
use std::collections::HashSet;
use std::io::Read;
use std::time::Duration;

use libp2p::futures::StreamExt;
use libp2p::swarm::dial_opts::DialOpts;
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{identify, mdns, noise, ping, tcp, yamux, Multiaddr, PeerId, SwarmBuilder};

#[derive(NetworkBehaviour)]
struct Behaviour {
    mdns: mdns::tokio::Behaviour,
    ping: ping::Behaviour,
    identify: identify::Behaviour,
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn addrs_json(addrs: &[String]) -> String {
    format!("[{}]", addrs.iter().map(|a| json_str(a)).collect::<Vec<_>>().join(","))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 || args.len() > 4 {
        eprintln!("usage: mdns-rust <listen ip> <timeout seconds> [dial|no-dial]");
        std::process::exit(2);
    }
    let seconds: u64 = args[2].parse()?;
    let dial = args.len() < 4 || args[3] == "dial";

    // ends the process when the runner closes stdin
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });

    let mut swarm = SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_tcp(tcp::Config::default(), noise::Config::new, yamux::Config::default)?
        .with_behaviour(|key| {
            let id = key.public().to_peer_id();
            // a short query interval: both sides start together, and the default (5 min) would leave a peer
            // that missed the first query unfound for the whole test
            let config = mdns::Config { query_interval: Duration::from_secs(1), ..Default::default() };
            Ok(Behaviour {
                mdns: mdns::tokio::Behaviour::new(config, id)?,
                ping: ping::Behaviour::new(ping::Config::new().with_interval(Duration::from_secs(1))),
                identify: identify::Behaviour::new(identify::Config::new("/ipfs/id/1.0.0".into(), key.public())),
            })
        })?
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(60)))
        .build();
    let listen: Multiaddr = format!("/ip4/{}/tcp/0", args[1]).parse()?;
    swarm.listen_on(listen)?;

    let me = *swarm.local_peer_id();
    let mut ready = false;
    let mut dialed: HashSet<PeerId> = HashSet::new();
    let mut pinged: HashSet<PeerId> = HashSet::new();
    let deadline = tokio::time::sleep(Duration::from_secs(seconds));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            _ = &mut deadline => break,
            event = swarm.select_next_some() => match event {
                SwarmEvent::NewListenAddr { address, .. } if !ready => {
                    ready = true;
                    println!("{{\"event\":\"ready\",\"id\":{},\"addrs\":{}}}", json_str(&me.to_string()), addrs_json(&[address.to_string()]));
                }
                SwarmEvent::Behaviour(BehaviourEvent::Mdns(mdns::Event::Discovered(list))) => {
                    for (peer, addr) in list {
                        println!("{{\"event\":\"found\",\"id\":{},\"addrs\":{}}}", json_str(&peer.to_string()), addrs_json(&[addr.to_string()]));
                        if dial && dialed.insert(peer) {
                            if let Err(err) = swarm.dial(DialOpts::peer_id(peer).addresses(vec![addr]).build()) {
                                println!("{{\"event\":\"connect-error\",\"id\":{},\"error\":{}}}", json_str(&peer.to_string()), json_str(&err.to_string()));
                            }
                        }
                    }
                }
                SwarmEvent::OutgoingConnectionError { peer_id: Some(peer), error, .. } => {
                    println!("{{\"event\":\"connect-error\",\"id\":{},\"error\":{}}}", json_str(&peer.to_string()), json_str(&error.to_string()));
                }
                SwarmEvent::Behaviour(BehaviourEvent::Ping(ping::Event { peer, result: Ok(rtt), .. })) => {
                    if dialed.contains(&peer) && pinged.insert(peer) {
                        println!("{{\"event\":\"connected\",\"id\":{},\"rttMs\":{}}}", json_str(&peer.to_string()), rtt.as_millis());
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}
