// The go side of the mDNS interop check (interop/mdns/run.mjs): a go-libp2p host (tcp + noise + yamux)
// listening on one IPv4 address, running go-libp2p's mDNS discovery. It is started inside a network namespace
// made by the runner and prints one JSON object per line on stdout:
//
//	{"event":"ready","id":"<our peer id>","addrs":[...]}
//	{"event":"found","id":"<peer id>","addrs":[...]}        each time the mDNS notifee is called
//	{"event":"connected","id":"<peer id>","rttMs":n}         after connecting to a found peer and pinging it
//	{"event":"connect-error","id":"<peer id>","error":"..."}
//
// Usage: mdns-go <listen ip> <timeout seconds> [dial|no-dial] (no-dial: only report what is found). It exits when stdin ends or the timeout passes.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

var outMu sync.Mutex

func emit(v map[string]any) {
	b, _ := json.Marshal(v)
	outMu.Lock()
	defer outMu.Unlock()
	fmt.Println(string(b))
}

type notifee struct {
	ctx  context.Context
	h    host.Host
	dial bool
	mu   sync.Mutex
	seen map[peer.ID]bool
}

func (n *notifee) HandlePeerFound(info peer.AddrInfo) {
	if info.ID == n.h.ID() {
		return
	}
	addrs := make([]string, 0, len(info.Addrs))
	for _, a := range info.Addrs {
		addrs = append(addrs, a.String())
	}
	emit(map[string]any{"event": "found", "id": info.ID.String(), "addrs": addrs})
	n.mu.Lock()
	if !n.dial || n.seen[info.ID] {
		n.mu.Unlock()
		return
	}
	n.seen[info.ID] = true
	n.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
		defer cancel()
		if err := n.h.Connect(ctx, info); err != nil {
			emit(map[string]any{"event": "connect-error", "id": info.ID.String(), "error": err.Error()})
			return
		}
		res := <-ping.Ping(ctx, n.h, info.ID)
		if res.Error != nil {
			emit(map[string]any{"event": "connect-error", "id": info.ID.String(), "error": "ping: " + res.Error.Error()})
			return
		}
		emit(map[string]any{"event": "connected", "id": info.ID.String(), "rttMs": res.RTT.Milliseconds()})
	}()
}

func main() {
	if len(os.Args) < 3 || len(os.Args) > 4 {
		fmt.Fprintln(os.Stderr, "usage: mdns-go <listen ip> <timeout seconds> [dial|no-dial]")
		os.Exit(2)
	}
	seconds, err := strconv.Atoi(os.Args[2])
	if err != nil || seconds <= 0 {
		fmt.Fprintln(os.Stderr, "bad timeout")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second)
	defer cancel()

	h, err := libp2p.New(
		libp2p.ListenAddrStrings("/ip4/"+os.Args[1]+"/tcp/0"),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "host:", err)
		os.Exit(1)
	}
	defer h.Close()

	service := mdns.NewMdnsService(h, "", &notifee{ctx: ctx, h: h, dial: len(os.Args) < 4 || os.Args[3] == "dial", seen: map[peer.ID]bool{}})
	if err := service.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "mdns:", err)
		os.Exit(1)
	}
	defer service.Close()

	addrs := []string{}
	for _, a := range h.Addrs() {
		addrs = append(addrs, a.String())
	}
	emit(map[string]any{"event": "ready", "id": h.ID().String(), "addrs": addrs})

	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	<-ctx.Done()
}
