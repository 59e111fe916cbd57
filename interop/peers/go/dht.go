package main

// The dht scenario: every node is a Kademlia server (/ipfs/kad/1.0.0) on loopback. The
// listener stores a record and a provider record of its own before it is ready; the dialer
// (node A) fetches both from it, then puts a record and a provider record of its own, closes,
// and a second, fresh dialer node (B), which knows only the listener, must find A's record and
// A as provider: they can only come from the listener. Keys are derived from peer ids, so the
// two sides need no other coordination. See interop/README.md.
//
// The records are public key records (/pk/<peer id bytes> -> the peer's public key, protobuf
// encoded): go-libp2p-kad-dht on /ipfs/kad/1.0.0 accepts only the /pk and /ipns namespaces,
// and /pk records can be checked by every implementation. The peers' keys are Ed25519, so the
// public key is inside the peer id (an identity multihash): any node can compute the record.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	kb "github.com/libp2p/go-libp2p-kbucket"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
	"github.com/multiformats/go-multihash"
)

func dhtRecordKey(id peer.ID) string { return "/pk/" + string(id) }

func dhtRecordValue(id peer.ID) []byte {
	pk, err := id.ExtractPublicKey()
	if err != nil {
		panic(fmt.Errorf("peer id %s does not embed its key: %w", id, err))
	}
	b, err := crypto.MarshalPublicKey(pk)
	if err != nil {
		panic(err)
	}
	return b
}

func dhtProviderCID(id peer.ID) cid.Cid {
	mh, err := multihash.Sum([]byte("ts-interop provider "+id.String()), multihash.SHA2_256, -1)
	if err != nil {
		panic(err)
	}
	return cid.NewCidV1(cid.Raw, mh)
}

func newDHT(h host.Host) (*dht.IpfsDHT, error) {
	return dht.New(h,
		dht.Mode(dht.ModeServer),
		dht.DisableAutoRefresh(),
	)
}

// setupDHTListener stores the listener's record and provider record locally.
func setupDHTListener(ctx context.Context, h host.Host) (*dht.IpfsDHT, error) {
	d, err := newDHT(h)
	if err != nil {
		return nil, err
	}
	// PutValue stores locally, then fails to find peers to replicate to: there are none yet.
	if err := d.PutValue(ctx, dhtRecordKey(h.ID()), dhtRecordValue(h.ID())); err != nil && !errors.Is(err, kb.ErrLookupFailure) {
		return nil, fmt.Errorf("dht: store own record: %w", err)
	}
	if err := d.Provide(ctx, dhtProviderCID(h.ID()), false); err != nil {
		return nil, fmt.Errorf("dht: provide locally: %w", err)
	}
	return d, nil
}

// dhtNode connects a new DHT server on h to the listener and waits until the listener is in
// its routing table (identify has shown that it serves the kad protocol).
func dhtNode(ctx context.Context, h host.Host, info peer.AddrInfo) (*dht.IpfsDHT, error) {
	d, err := newDHT(h)
	if err != nil {
		return nil, err
	}
	if err := h.Connect(ctx, info); err != nil {
		return nil, fmt.Errorf("dial %s: %w", info.ID, err)
	}
	for d.RoutingTable().Find(info.ID) == "" {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("dht: the listener never entered the routing table: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return d, nil
}

func expectValue(ctx context.Context, d *dht.IpfsDHT, key string, want []byte) error {
	got, err := d.GetValue(ctx, key)
	if err != nil {
		return fmt.Errorf("dht: get %x: %w", key, err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("dht: get %x: got %x, want %x", key, got, want)
	}
	return nil
}

func expectProvider(ctx context.Context, d *dht.IpfsDHT, c cid.Cid, want peer.ID) error {
	for p := range d.FindProvidersAsync(ctx, c, 1) {
		if p.ID == want {
			return nil
		}
		return fmt.Errorf("dht: find providers of %s: got %s, want %s", c, p.ID, want)
	}
	return fmt.Errorf("dht: find providers of %s: none found", c)
}

// eventually retries f every 100 ms until it succeeds or ctx ends: the listener stores what
// A sent (ADD_PROVIDER has no answer) in its own time.
func eventually(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func runDHT(ctx context.Context, opts []libp2p.Option, info peer.AddrInfo) error {
	start := time.Now()
	timings := map[string]any{}
	step := func(name string, f func() error) error {
		t := time.Now()
		if err := f(); err != nil {
			return err
		}
		timings[name] = millis(time.Since(t))
		return nil
	}

	a, err := libp2p.New(opts...)
	if err != nil {
		return fmt.Errorf("create host: %w", err)
	}
	defer a.Close()
	var da *dht.IpfsDHT
	if err := step("connectMillis", func() (err error) { da, err = dhtNode(ctx, a, info); return }); err != nil {
		return err
	}
	if err := step("getMillis", func() error { return expectValue(ctx, da, dhtRecordKey(info.ID), dhtRecordValue(info.ID)) }); err != nil {
		return err
	}
	if err := step("findProvidersMillis", func() error { return expectProvider(ctx, da, dhtProviderCID(info.ID), info.ID) }); err != nil {
		return err
	}
	if err := step("putMillis", func() error { return da.PutValue(ctx, dhtRecordKey(a.ID()), dhtRecordValue(a.ID())) }); err != nil {
		return fmt.Errorf("dht: put: %w", err)
	}
	if err := step("provideMillis", func() error { return da.Provide(ctx, dhtProviderCID(a.ID()), true) }); err != nil {
		return fmt.Errorf("dht: provide: %w", err)
	}
	// ADD_PROVIDER has no answer: one ping round trip on the same connection before A goes
	// away, so that the message is not lost with the connection.
	if res := <-ping.Ping(ctx, a, info.ID); res.Error != nil {
		return fmt.Errorf("dht: ping after provide: %w", res.Error)
	}
	// A goes away: what B finds next can only come from the listener.
	da.Close()
	a.Close()

	b, err := libp2p.New(opts...)
	if err != nil {
		return fmt.Errorf("create host: %w", err)
	}
	defer b.Close()
	db, err := dhtNode(ctx, b, info)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := step("verifyGetMillis", func() error {
		return eventually(ctx, func() error { return expectValue(ctx, db, dhtRecordKey(a.ID()), dhtRecordValue(a.ID())) })
	}); err != nil {
		return fmt.Errorf("after the put: %w", err)
	}
	if err := step("verifyFindProvidersMillis", func() error {
		return eventually(ctx, func() error { return expectProvider(ctx, db, dhtProviderCID(a.ID()), a.ID()) })
	}); err != nil {
		return fmt.Errorf("after the provide: %w", err)
	}
	timings["totalMillis"] = millis(time.Since(start))
	return printJSON(timings)
}
