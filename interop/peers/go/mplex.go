package main

// go-libp2p dropped mplex, and the archived github.com/libp2p/go-libp2p-mplex (v0.9.0) no longer
// builds against go-libp2p v0.51: network.MuxedConn gained As and CloseWithError and
// network.MuxedStream gained ResetWithError. This adapter wraps the mplex wire implementation
// (github.com/libp2p/go-mplex) in the current interfaces. mplex has no error codes on the wire,
// so the *WithError variants behave as their plain forms, as go-libp2p documents for muxers
// that cannot carry codes.

import (
	"context"
	"errors"
	"net"

	"github.com/libp2p/go-libp2p/core/network"
	mp "github.com/libp2p/go-mplex"
)

const mplexID = "/mplex/6.7.0"

type mplexMuxer struct{}

var _ network.Multiplexer = mplexMuxer{}

func (mplexMuxer) NewConn(nc net.Conn, isServer bool, scope network.PeerScope) (network.MuxedConn, error) {
	var mm mp.MemoryManager
	if scope != nil {
		mm = scope
	}
	m, err := mp.NewMultiplex(nc, isServer, mm)
	if err != nil {
		return nil, err
	}
	return &mplexConn{m: m}, nil
}

type mplexConn struct{ m *mp.Multiplex }

var _ network.MuxedConn = (*mplexConn)(nil)

func (c *mplexConn) Close() error                               { return c.m.Close() }
func (c *mplexConn) CloseWithError(network.ConnErrorCode) error { return c.m.Close() }
func (c *mplexConn) IsClosed() bool                             { return c.m.IsClosed() }
func (c *mplexConn) As(any) bool                                { return false }

func (c *mplexConn) OpenStream(ctx context.Context) (network.MuxedStream, error) {
	s, err := c.m.NewStream(ctx)
	if err != nil {
		return nil, err
	}
	return mplexStream{s}, nil
}

func (c *mplexConn) AcceptStream() (network.MuxedStream, error) {
	s, err := c.m.Accept()
	if err != nil {
		return nil, err
	}
	return mplexStream{s}, nil
}

type mplexStream struct{ *mp.Stream }

var _ network.MuxedStream = mplexStream{}

func (s mplexStream) Read(b []byte) (int, error) {
	n, err := s.Stream.Read(b)
	return n, mapReset(err)
}

func (s mplexStream) Write(b []byte) (int, error) {
	n, err := s.Stream.Write(b)
	return n, mapReset(err)
}

func (s mplexStream) ResetWithError(network.StreamErrorCode) error { return s.Reset() }

// mapReset reports a remote reset as network.ErrReset, which go-libp2p's protocols match on.
func mapReset(err error) error {
	if errors.Is(err, mp.ErrStreamReset) {
		return network.ErrReset
	}
	return err
}
