package main

// The perf protocol (libp2p/specs perf/perf.md): the client opens a stream, sends the number
// of bytes it wants back as a big-endian uint64, uploads its bytes, closes its write side, and
// reads until the server closes. go-libp2p has no perf service in its main module, so the
// protocol is written here over go-libp2p streams.

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

const (
	perfProtocol     = protocol.ID("/perf/1.0.0")
	perfBlockSize    = 64 * 1024
	defaultPerfBytes = 1 << 20
)

var perfBlock = make([]byte, perfBlockSize)

// servePerf makes h a perf server.
func servePerf(h host.Host) {
	h.SetStreamHandler(perfProtocol, func(s network.Stream) {
		var header [8]byte
		if _, err := io.ReadFull(s, header[:]); err != nil {
			s.Reset()
			return
		}
		if _, err := io.Copy(io.Discard, s); err != nil {
			s.Reset()
			return
		}
		if err := writeZeros(s, binary.BigEndian.Uint64(header[:])); err != nil {
			s.Reset()
			return
		}
		s.Close()
	})
}

func writeZeros(w io.Writer, n uint64) error {
	for n > 0 {
		chunk := uint64(perfBlockSize)
		if n < chunk {
			chunk = n
		}
		if _, err := w.Write(perfBlock[:chunk]); err != nil {
			return err
		}
		n -= chunk
	}
	return nil
}

func envBytes(name string) (uint64, error) {
	s := os.Getenv(name)
	if s == "" {
		return defaultPerfBytes, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad %s %q", name, s)
	}
	return n, nil
}

// runPerf uploads perf_upload_bytes to the peer and downloads perf_download_bytes from it.
func runPerf(ctx context.Context, h host.Host, id peer.ID, connect time.Duration) error {
	upload, err := envBytes("perf_upload_bytes")
	if err != nil {
		return err
	}
	download, err := envBytes("perf_download_bytes")
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := h.NewStream(ctx, id, perfProtocol)
	if err != nil {
		return fmt.Errorf("perf: open stream: %w", err)
	}
	defer s.Close()
	if deadline, ok := ctx.Deadline(); ok {
		s.SetDeadline(deadline)
	}
	var header [8]byte
	binary.BigEndian.PutUint64(header[:], download)
	if _, err := s.Write(header[:]); err != nil {
		return fmt.Errorf("perf: send header: %w", err)
	}
	if err := writeZeros(s, upload); err != nil {
		return fmt.Errorf("perf: upload: %w", err)
	}
	if err := s.CloseWrite(); err != nil {
		return fmt.Errorf("perf: close write: %w", err)
	}
	uploaded := time.Now()
	got, err := io.Copy(io.Discard, s)
	if err != nil {
		return fmt.Errorf("perf: download: %w", err)
	}
	done := time.Now()
	if uint64(got) != download {
		return fmt.Errorf("perf: downloaded %d bytes, asked for %d", got, download)
	}
	up, down := uploaded.Sub(start).Seconds(), done.Sub(uploaded).Seconds()
	return printJSON(map[string]any{
		"type":                   "final",
		"connectMillis":          millis(connect),
		"uploadBytes":            upload,
		"downloadBytes":          download,
		"uploadSeconds":          up,
		"downloadSeconds":        down,
		"timeSeconds":            done.Sub(start).Seconds(),
		"uploadBytesPerSecond":   rate(upload, up),
		"downloadBytesPerSecond": rate(download, down),
	})
}

func rate(n uint64, seconds float64) float64 {
	if seconds <= 0 {
		return 0
	}
	return float64(n) / seconds
}
