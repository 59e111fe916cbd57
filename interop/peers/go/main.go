// Command interop-peer-go is the go-libp2p peer of the ts-libp2p interop matrix.
// The command-line contract (environment, output lines, exit codes) is described in
// interop/README.md; every peer in interop/peers follows it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/protocol/identify"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	"github.com/libp2p/go-libp2p/p2p/transport/websocket"
	"github.com/multiformats/go-multiaddr"
)

const (
	exitFail        = 1
	exitUnsupported = 3
	pingProtocol    = "/ipfs/ping/1.0.0"
	idProtocol      = "/ipfs/id/1.0.0"
)

func main() {
	scenario := envOr("scenario", "ping")
	if !slices.Contains([]string{"ping", "identify", "perf", "dht", "gossipsub", "gossipsub-mesh"}, scenario) {
		unsupported("scenario " + scenario)
	}
	timeout := 30 * time.Second
	if s := os.Getenv("test_timeout_seconds"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			fail(fmt.Errorf("bad test_timeout_seconds %q", s))
		}
		timeout = time.Duration(n) * time.Second
	}
	ip := envOr("ip", "127.0.0.1")
	isDialer := os.Getenv("is_dialer") == "true"

	opts := []libp2p.Option{libp2p.UserAgent(agentVersion()), libp2p.DisableRelay()}
	var listen string
	switch t := os.Getenv("transport"); t {
	case "tcp":
		opts = append(opts, libp2p.Transport(tcp.NewTCPTransport))
		listen = fmt.Sprintf("/ip4/%s/tcp/0", ip)
	case "ws":
		opts = append(opts, libp2p.Transport(websocket.New))
		listen = fmt.Sprintf("/ip4/%s/tcp/0/ws", ip)
	default:
		unsupported("transport " + t)
	}
	switch s := os.Getenv("security"); s {
	case "noise":
		opts = append(opts, libp2p.Security(noise.ID, noise.New))
	case "tls":
		opts = append(opts, libp2p.Security(libp2ptls.ID, libp2ptls.New))
	default:
		unsupported("security " + s)
	}
	switch m := os.Getenv("muxer"); m {
	case "yamux":
		opts = append(opts, libp2p.Muxer(yamux.ID, yamux.DefaultTransport))
	case "mplex":
		opts = append(opts, libp2p.Muxer(mplexID, mplexMuxer{}))
	default:
		unsupported("muxer " + m)
	}
	// A dht dialer is a server too, with an address to announce: go (and others) drop
	// provider records without addresses.
	if isDialer && scenario != "dht" && scenario != "gossipsub-mesh" {
		opts = append(opts, libp2p.NoListenAddrs)
	} else {
		opts = append(opts, libp2p.ListenAddrStrings(listen))
	}

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if isDialer && scenario == "dht" {
		// The dht dialer runs two nodes, one after the other (dht.go).
		info, err := listenerInfo()
		if err != nil {
			fail(err)
		}
		if err := runDHT(ctx, opts, info); err != nil {
			fail(err)
		}
		return
	}

	h, err := libp2p.New(opts...)
	if err != nil {
		fail(fmt.Errorf("create host: %w", err))
	}
	defer h.Close()

	if scenario == "gossipsub-mesh" {
		if err := runMesh(ctx, h); err != nil {
			fail(err)
		}
		return
	}
	if !isDialer {
		switch scenario {
		case "perf":
			servePerf(h)
		case "dht":
			d, err := setupDHTListener(ctx, h)
			if err != nil {
				fail(err)
			}
			defer d.Close()
		case "gossipsub":
			if err := serveGossip(ctx, h); err != nil {
				fail(err)
			}
		}
		runListener(h, timeout)
		return
	}
	if err := runDialer(ctx, h, scenario); err != nil {
		fail(err)
	}
}

// listenerInfo is the listener's peer id and address, from listener_addr.
func listenerInfo() (peer.AddrInfo, error) {
	addr := os.Getenv("listener_addr")
	ma, err := multiaddr.NewMultiaddr(addr)
	if err != nil {
		return peer.AddrInfo{}, fmt.Errorf("bad listener_addr %q: %w", addr, err)
	}
	info, err := peer.AddrInfoFromP2pAddr(ma)
	if err != nil {
		return peer.AddrInfo{}, fmt.Errorf("listener_addr %q: %w", addr, err)
	}
	return *info, nil
}

// runListener prints the readiness line and serves until the runner stops it (SIGTERM) or the
// test times out.
func runListener(h host.Host, timeout time.Duration) {
	addrs := h.Addrs()
	if len(addrs) == 0 {
		fail(fmt.Errorf("no listen address"))
	}
	fmt.Printf("listenAddr=%s/p2p/%s\n", addrs[0], h.ID())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-sig:
	case <-time.After(timeout):
	}
}

func runDialer(ctx context.Context, h host.Host, scenario string) error {
	info, err := listenerInfo()
	if err != nil {
		return err
	}
	if scenario == "gossipsub" {
		// Subscribes before it dials (gossipsub.go).
		return runGossip(ctx, h, info)
	}

	start := time.Now()
	if err := h.Connect(ctx, info); err != nil {
		return fmt.Errorf("dial %s: %w", info.ID, err)
	}
	switch scenario {
	case "perf":
		return runPerf(ctx, h, info.ID, time.Since(start))
	case "ping":
		res := <-ping.Ping(ctx, h, info.ID)
		if res.Error != nil {
			return fmt.Errorf("ping: %w", res.Error)
		}
		handshake := time.Since(start)
		return printJSON(map[string]any{
			"handshakePlusOneRTTMillis": millis(handshake),
			"pingRTTMilllis":            millis(res.RTT),
		})
	case "identify":
		conns := h.Network().ConnsToPeer(info.ID)
		if len(conns) == 0 {
			return fmt.Errorf("no connection to %s after dial", info.ID)
		}
		ids := h.(interface{ IDService() identify.IDService }).IDService()
		select {
		case <-ids.IdentifyWait(conns[0]):
		case <-ctx.Done():
			return fmt.Errorf("identify: %w", ctx.Err())
		}
		protos, err := h.Peerstore().GetProtocols(info.ID)
		if err != nil {
			return fmt.Errorf("identify: protocols of %s: %w", info.ID, err)
		}
		names := make([]string, 0, len(protos))
		for _, p := range protos {
			names = append(names, string(p))
		}
		slices.Sort(names)
		agent, _ := h.Peerstore().Get(info.ID, "AgentVersion")
		version, _ := h.Peerstore().Get(info.ID, "ProtocolVersion")
		agentStr, _ := agent.(string)
		versionStr, _ := version.(string)
		if err := checkIdentify(names, agentStr); err != nil {
			return err
		}
		return printJSON(map[string]any{
			"agentVersion":    agentStr,
			"protocolVersion": versionStr,
			"protocols":       names,
			"identifyMillis":  millis(time.Since(start)),
		})
	}
	return nil
}

// checkIdentify verifies what every peer in the matrix must announce.
func checkIdentify(protocols []string, agent string) error {
	for _, want := range []string{pingProtocol, idProtocol} {
		if !slices.Contains(protocols, want) {
			return fmt.Errorf("identify: remote does not list %s (got %v)", want, protocols)
		}
	}
	if agent == "" {
		return fmt.Errorf("identify: remote sent no agent version")
	}
	return nil
}

// agentVersion names go-libp2p and the version this binary was built with.
func agentVersion() string {
	version := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/libp2p/go-libp2p" {
				version = dep.Version
			}
		}
	}
	return "go-libp2p/" + version
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func printJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	fmt.Println(string(b))
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func unsupported(what string) {
	fmt.Printf("unsupported: %s\n", what)
	os.Exit(exitUnsupported)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "error: %v\n", err)
	os.Exit(exitFail)
}
