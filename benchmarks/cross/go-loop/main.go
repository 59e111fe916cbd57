// A go-libp2p dialer for the connections/s loop of benchmarks/run.mjs: the interop peers dial once per
// process, so this one dials in a loop. One iteration: a new connection to the listener (dial + security +
// muxer), a /ipfs/ping/1.0.0 stream, 32 bytes sent and echoed back (time to first byte), the connection closed.
//
//	transport=tcp|ws security=noise|tls go-loop <listener multiaddr with /p2p/> <iterations> <warmup>
//
// Prints one JSON line: connectionsPerSecond, ttfbMs (every iteration), dialerCpuMsPerConnection.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	"github.com/libp2p/go-libp2p/p2p/transport/websocket"
	ma "github.com/multiformats/go-multiaddr"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "go-loop:", err)
	os.Exit(1)
}

func cpuMs() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func main() {
	if len(os.Args) != 4 {
		fail(fmt.Errorf("usage: go-loop <multiaddr> <iterations> <warmup>"))
	}
	addr, err := ma.NewMultiaddr(os.Args[1])
	if err != nil {
		fail(err)
	}
	info, err := peer.AddrInfoFromP2pAddr(addr)
	if err != nil {
		fail(err)
	}
	iterations, err := strconv.Atoi(os.Args[2])
	if err != nil || iterations < 1 {
		fail(fmt.Errorf("bad iterations %q", os.Args[2]))
	}
	warmup, err := strconv.Atoi(os.Args[3])
	if err != nil || warmup < 0 {
		fail(fmt.Errorf("bad warmup %q", os.Args[3]))
	}
	opts := []libp2p.Option{libp2p.NoListenAddrs, libp2p.DisableRelay(), libp2p.Muxer(yamux.ID, yamux.DefaultTransport)}
	if os.Getenv("transport") == "ws" {
		opts = append(opts, libp2p.Transport(websocket.New))
	} else {
		opts = append(opts, libp2p.Transport(tcp.NewTCPTransport))
	}
	if os.Getenv("security") == "tls" {
		opts = append(opts, libp2p.Security(libp2ptls.ID, libp2ptls.New))
	} else {
		opts = append(opts, libp2p.Security(noise.ID, noise.New))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		fail(err)
	}
	defer h.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	payload := make([]byte, 32)
	echo := make([]byte, 32)
	one := func() (time.Duration, error) {
		if _, err := rand.Read(payload); err != nil {
			return 0, err
		}
		start := time.Now()
		if err := h.Connect(ctx, *info); err != nil {
			return 0, fmt.Errorf("connect: %w", err)
		}
		s, err := h.NewStream(ctx, info.ID, "/ipfs/ping/1.0.0")
		if err != nil {
			return 0, fmt.Errorf("stream: %w", err)
		}
		if _, err := s.Write(payload); err != nil {
			return 0, fmt.Errorf("write: %w", err)
		}
		if _, err := io.ReadFull(s, echo); err != nil {
			return 0, fmt.Errorf("read: %w", err)
		}
		ttfb := time.Since(start)
		if string(echo) != string(payload) {
			return 0, fmt.Errorf("the echo differs from the ping")
		}
		s.Close()
		// the next iteration must dial a new connection
		if err := h.Network().ClosePeer(info.ID); err != nil {
			return 0, fmt.Errorf("close: %w", err)
		}
		return ttfb, nil
	}
	for i := 0; i < warmup; i++ {
		if _, err := one(); err != nil {
			fail(err)
		}
	}
	cpu0 := cpuMs()
	ttfb := make([]float64, 0, iterations)
	start := time.Now()
	for i := 0; i < iterations; i++ {
		d, err := one()
		if err != nil {
			fail(err)
		}
		ttfb = append(ttfb, float64(d.Nanoseconds())/1e6)
	}
	secs := time.Since(start).Seconds()
	out, _ := json.Marshal(map[string]any{
		"connectionsPerSecond":     float64(iterations) / secs,
		"ttfbMs":                   ttfb,
		"dialerCpuMsPerConnection": (cpuMs() - cpu0) / float64(iterations),
	})
	fmt.Println(string(out))
}
