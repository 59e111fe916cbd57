package main

// The gossipsub scenario: both sides join the topic "ts-interop". Once the dialer sees the
// listener subscribed, it publishes "ts-interop gossip from dialer <id> #n" (again every
// second until answered); the listener answers each such message by publishing
// "ts-interop gossip from listener <id>". The dialer passes when it receives that answer.

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
)

const (
	gossipTopic          = "ts-interop"
	gossipDialerPrefix   = "ts-interop gossip from dialer "
	gossipListenerPrefix = "ts-interop gossip from listener "
	gossipRepublish      = time.Second
	meshPrefix           = "ts-interop mesh from "
)

func joinGossip(ctx context.Context, h host.Host) (*pubsub.Topic, *pubsub.Subscription, error) {
	// Flood publishing (the default) reaches a subscribed peer before any mesh forms; no
	// peer scoring is configured, so many peers on 127.0.0.1 are not penalised.
	ps, err := pubsub.NewGossipSub(ctx, h, pubsub.WithFloodPublish(true))
	if err != nil {
		return nil, nil, fmt.Errorf("gossipsub: %w", err)
	}
	topic, err := ps.Join(gossipTopic)
	if err != nil {
		return nil, nil, fmt.Errorf("gossipsub: join: %w", err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		return nil, nil, fmt.Errorf("gossipsub: subscribe: %w", err)
	}
	return topic, sub, nil
}

// serveGossip answers every dialer message with one of its own.
func serveGossip(ctx context.Context, h host.Host) error {
	topic, sub, err := joinGossip(ctx, h)
	if err != nil {
		return err
	}
	go func() {
		for {
			msg, err := sub.Next(ctx)
			if err != nil {
				return
			}
			if msg.ReceivedFrom == h.ID() || !strings.HasPrefix(string(msg.Data), gossipDialerPrefix) {
				continue
			}
			_ = topic.Publish(ctx, []byte(gossipListenerPrefix+h.ID().String()))
		}
	}()
	return nil
}

func runGossip(ctx context.Context, h host.Host, info peer.AddrInfo) error {
	start := time.Now()
	topic, sub, err := joinGossip(ctx, h)
	if err != nil {
		return err
	}
	if err := h.Connect(ctx, info); err != nil {
		return fmt.Errorf("dial %s: %w", info.ID, err)
	}
	for !slices.Contains(topic.ListPeers(), info.ID) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("gossipsub: the listener never subscribed: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	subscribed := time.Since(start)

	answer := make(chan string, 1)
	go func() {
		for {
			msg, err := sub.Next(ctx)
			if err != nil {
				return
			}
			if msg.ReceivedFrom != h.ID() && strings.HasPrefix(string(msg.Data), gossipListenerPrefix) {
				answer <- string(msg.Data)
				return
			}
		}
	}()
	published := time.Now()
	for n := 1; ; n++ {
		if err := topic.Publish(ctx, []byte(fmt.Sprintf("%s%s #%d", gossipDialerPrefix, h.ID(), n))); err != nil {
			return fmt.Errorf("gossipsub: publish: %w", err)
		}
		select {
		case got := <-answer:
			if got != gossipListenerPrefix+info.ID.String() {
				return fmt.Errorf("gossipsub: answer %q is not from the listener", got)
			}
			return printJSON(map[string]any{
				"subscribedMillis": millis(subscribed),
				"roundTripMillis":  millis(time.Since(published)),
				"published":        n,
				"totalMillis":      millis(time.Since(start)),
			})
		case <-ctx.Done():
			return fmt.Errorf("gossipsub: no answer from the listener: %w", ctx.Err())
		case <-time.After(gossipRepublish):
		}
	}
}

// runMesh is one node of the gossipsub-mesh cell (interop/lib/mesh.mjs): it listens, dials
// mesh_dial, publishes every second once it has a subscribed peer, and prints the publishers
// it has heard from once there are mesh_size-1 of them; it serves until killed.
func runMesh(ctx context.Context, h host.Host) error {
	size, err := strconv.Atoi(os.Getenv("mesh_size"))
	if err != nil || size < 2 {
		return fmt.Errorf("bad mesh_size %q", os.Getenv("mesh_size"))
	}
	start := time.Now()
	topic, sub, err := joinGossip(ctx, h)
	if err != nil {
		return err
	}
	addrs := h.Addrs()
	if len(addrs) == 0 {
		return fmt.Errorf("no listen address")
	}
	fmt.Printf("listenAddr=%s/p2p/%s\n", addrs[0], h.ID())
	for _, s := range strings.Split(os.Getenv("mesh_dial"), ",") {
		if s == "" {
			continue
		}
		info, err := peer.AddrInfoFromString(s)
		if err != nil {
			return fmt.Errorf("bad mesh_dial %q: %w", s, err)
		}
		if err := h.Connect(ctx, *info); err != nil {
			return fmt.Errorf("dial %s: %w", s, err)
		}
	}
	heard := make(chan peer.ID, 64)
	go func() {
		for {
			msg, err := sub.Next(ctx)
			if err != nil {
				return
			}
			if from := msg.GetFrom(); from != h.ID() && strings.HasPrefix(string(msg.Data), meshPrefix) {
				heard <- from
			}
		}
	}()
	from := map[peer.ID]bool{}
	reported := false
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for n := 1; ; {
		if len(topic.ListPeers()) > 0 {
			_ = topic.Publish(ctx, []byte(fmt.Sprintf("%s%s #%d", meshPrefix, h.ID(), n)))
			n++
		}
		select {
		case <-ctx.Done():
			return nil
		case p := <-heard:
			from[p] = true
		case <-tick.C:
		}
		if !reported && len(from) >= size-1 {
			ids := make([]string, 0, len(from))
			for p := range from {
				ids = append(ids, p.String())
			}
			slices.Sort(ids)
			if err := printJSON(map[string]any{"receivedFrom": ids, "meshMillis": millis(time.Since(start))}); err != nil {
				return err
			}
			reported = true
		}
	}
}
