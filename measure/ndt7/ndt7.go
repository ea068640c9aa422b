// Package ndt7 serves M-Lab's ndt7 speed test (the ndt7 protocol
// specification of github.com/m-lab/ndt-server, spec/ndt7-protocol.md) at
// /ndt/v7/download and /ndt/v7/upload, so that the official client,
// @m-lab/ndt7, and any other ndt7 client can measure against gigakoll.
//
// Each subtest upgrades to a WebSocket with the subprotocol
// net.measurementlab.ndt.v7 and runs for about 10 seconds. The sender
// streams binary messages of random bytes, starting at 8 KiB and doubling
// while a message is at most 1/16 of what was sent, up to 1 MiB (the
// spec's scaling rule); both sides send JSON text measurements at most
// every 250 ms. Nothing is buffered whole: a received message is read frame
// by frame into a fixed buffer and discarded. A semaphore bounds the tests
// running at once. Nothing about the client is logged or kept.
package ndt7

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
)

// Protocol constants of the ndt7 specification.
const (
	Subprotocol          = "net.measurementlab.ndt.v7"
	DownloadPath         = "/ndt/v7/download"
	UploadPath           = "/ndt/v7/upload"
	InitialMessageSize   = 1 << 13 // 8 KiB
	MaxScaledMessageSize = 1 << 20 // 1 MiB: where the download's messages stop growing
	ScalingFraction      = 16      // a message grows while it is at most 1/16 of what was sent
	MaxMessageSize       = 1 << 24 // the largest message a peer may send us
	MeasureInterval      = 250 * time.Millisecond
	DefaultDuration      = 10 * time.Second
	MaxRuntime           = 15 * time.Second // a subtest never runs longer
	maxQueryLen          = 4096
)

// Measurement is the JSON text message both sides send: application-level
// bytes and time, and the kernel's view of the connection where the
// platform gives it. ConnectionInfo is left out on purpose: it would echo
// the client's address.
type Measurement struct {
	AppInfo *AppInfo `json:",omitempty"`
	Origin  string   `json:",omitempty"` // "server"
	Test    string   `json:",omitempty"` // "download" or "upload"
	TCPInfo *TCPInfo `json:",omitempty"`
}

// AppInfo counts the payload bytes sent or received since the subtest
// began and the microseconds elapsed.
type AppInfo struct {
	ElapsedTime int64 // µs
	NumBytes    int64
}

// TCPInfo is part of Linux's TCP_INFO for the connection; times in µs.
type TCPInfo struct {
	BusyTime      int64
	BytesAcked    int64
	BytesReceived int64
	BytesSent     int64
	BytesRetrans  int64
	MinRTT        int64 // the smallest round-trip time seen: the latency
	RTT           int64 // smoothed round-trip time
	RTTVar        int64 // its variation
	SndCwnd       int64 // segments
	ElapsedTime   int64 // µs since the subtest began
}

// Config sets up a Server.
type Config struct {
	MaxTests int                   // subtests running at once; more are answered 503 (0: 8)
	Duration time.Duration         // of a subtest (0: DefaultDuration)
	Registry prometheus.Registerer // where the counters go (nil: nowhere)
	Log      *slog.Logger          // nil: discard
}

// Server runs ndt7 subtests. Its handlers are safe for concurrent use.
type Server struct {
	sem      chan struct{}
	running  atomic.Int64 // subtests between their start and their end
	stopping atomic.Bool  // Wait was called: no new subtest starts
	duration time.Duration
	log      *slog.Logger
	metrics  metrics
	upgrader websocket.Upgrader
	messages map[int]*websocket.PreparedMessage // random payloads by size, shared by every test
}

// New returns a Server and registers its metrics.
func New(cfg Config) (*Server, error) {
	if cfg.MaxTests <= 0 {
		cfg.MaxTests = 8
	}
	if cfg.Duration <= 0 {
		cfg.Duration = DefaultDuration
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		sem:      make(chan struct{}, cfg.MaxTests),
		duration: min(cfg.Duration, MaxRuntime),
		log:      cfg.Log,
		messages: map[int]*websocket.PreparedMessage{},
		upgrader: websocket.Upgrader{
			Subprotocols:      []string{Subprotocol},
			ReadBufferSize:    64 << 10,
			WriteBufferSize:   64 << 10,
			HandshakeTimeout:  5 * time.Second,
			EnableCompression: false, // random bytes do not compress
			// CheckOrigin nil: gorilla's default accepts a request without
			// Origin (any non-browser client) or with one of this host.
		},
	}
	payload := make([]byte, MaxScaledMessageSize)
	_, _ = rand.Read(payload)
	for size := InitialMessageSize; size <= MaxScaledMessageSize; size *= 2 {
		pm, err := websocket.NewPreparedMessage(websocket.BinaryMessage, payload[:size])
		if err != nil {
			return nil, fmt.Errorf("ndt7: prepare message: %w", err)
		}
		s.messages[size] = pm
	}
	m, err := newMetrics(cfg.Registry)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	return s, nil
}

// Download serves GET /ndt/v7/download: the server sends.
func (s *Server) Download(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, "download", s.download)
}

// Upload serves GET /ndt/v7/upload: the client sends.
func (s *Server) Upload(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, "upload", s.upload)
}

// Wait refuses new tests from now on and blocks until no speed test runs,
// or ctx ends; it may be called again. A test's connection is taken over
// from net/http, so http.Server.Shutdown does not wait for it; gigakoll
// serve calls Wait while Shutdown runs, so that a running test ends as it
// would have. A test whose request's context ends (serve's deadline has
// passed) is cut: its connection is closed.
func (s *Server) Wait(ctx context.Context) error {
	s.stopping.Store(true)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for s.running.Load() > 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("ndt7: speed tests still running: %w", ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// subtest runs over an upgraded connection and returns the payload bytes
// moved and whether it ran to its end.
type subtest func(conn *websocket.Conn, bytes *atomic.Int64) error

func (s *Server) serve(w http.ResponseWriter, r *http.Request, direction string, run subtest) {
	if err := checkRequest(r); err != nil {
		s.metrics.tests.WithLabelValues(direction, "rejected").Inc()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.running.Add(1) // before the check: Wait sees this test or it sees stopping
	defer s.running.Add(-1)
	if s.stopping.Load() {
		s.metrics.tests.WithLabelValues(direction, "refused").Inc()
		w.Header().Set("Retry-After", "15")
		http.Error(w, "the server is shutting down; try again in a moment", http.StatusServiceUnavailable)
		return
	}
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	default:
		s.metrics.tests.WithLabelValues(direction, "refused").Inc()
		w.Header().Set("Retry-After", "15")
		http.Error(w, "too many speed tests are running; try again in a moment", http.StatusServiceUnavailable)
		return
	}
	// The HTTP server's write timeout is sized for ordinary requests: give
	// this connection the test's time before it is hijacked.
	rc := http.NewResponseController(w)
	deadline := time.Now().Add(MaxRuntime + 10*time.Second)
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline)

	conn, err := s.upgrader.Upgrade(w, r, nil) // answers the client itself on failure
	if err != nil {
		s.metrics.tests.WithLabelValues(direction, "rejected").Inc()
		return
	}
	defer conn.Close()
	// Cut at serve's deadline: the connection is net/http's no more, so
	// closing it is the only way to end the subtest's reads and writes.
	stop := context.AfterFunc(r.Context(), func() { _ = conn.Close() })
	defer stop()
	_ = conn.SetReadDeadline(deadline)
	_ = conn.SetWriteDeadline(deadline)
	conn.SetReadLimit(MaxMessageSize)

	s.metrics.running.WithLabelValues(direction).Inc()
	defer s.metrics.running.WithLabelValues(direction).Dec()
	var moved atomic.Int64
	err = run(conn, &moved)
	s.metrics.bytes.WithLabelValues(direction).Add(float64(moved.Load()))
	outcome := "ok"
	if err != nil {
		outcome = "error"
		s.log.Debug("speed test ended early", "test", direction, "err", anonymous(err))
	}
	s.metrics.tests.WithLabelValues(direction, outcome).Inc()
}

// checkRequest applies the spec's checks before the upgrade: the ndt7
// subprotocol is offered, and the query string is short and well formed.
func checkRequest(r *http.Request) error {
	if !offers(r, Subprotocol) {
		return errors.New("ndt7: the WebSocket subprotocol " + Subprotocol + " is required")
	}
	if len(r.URL.RawQuery) > maxQueryLen {
		return errors.New("ndt7: the query string is longer than 4096 bytes")
	}
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		return errors.New("ndt7: the query string does not parse")
	}
	return nil
}

func offers(r *http.Request, proto string) bool {
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(h, ",") {
			if strings.TrimSpace(p) == proto {
				return true
			}
		}
	}
	return false
}

// download sends random binary messages for the test's duration with a
// measurement every 250 ms, then closes: the server closes the TCP
// connection first, as the spec asks.
func (s *Server) download(conn *websocket.Conn, sent *atomic.Int64) error {
	readErr := make(chan error, 1)
	go func() { readErr <- discardText(conn, nil) }()

	start := time.Now()
	size := InitialMessageSize
	next := start.Add(MeasureInterval)
	var err error
	for err == nil {
		select {
		case rerr := <-readErr: // the client went away, or broke the protocol
			return fmt.Errorf("download: %w", rerr)
		default:
		}
		now := time.Now()
		if now.Sub(start) >= s.duration {
			break
		}
		if !now.Before(next) {
			err = s.sendMeasurement(conn, "download", start, sent.Load())
			next = now.Add(MeasureInterval)
			continue
		}
		if err = conn.WritePreparedMessage(s.messages[size]); err == nil {
			total := sent.Add(int64(size))
			if size < MaxScaledMessageSize && int64(size) <= total/ScalingFraction {
				size *= 2
			}
		}
	}
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	if err := s.sendMeasurement(conn, "download", start, sent.Load()); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	closeHandshake(conn, readErr)
	return nil
}

// upload reads what the client sends, frame by frame into a fixed buffer,
// and sends a measurement every 250 ms until the client closes or the
// subtest's time is up.
func (s *Server) upload(conn *websocket.Conn, received *atomic.Int64) error {
	start := time.Now()
	readErr := make(chan error, 1)
	go func() { readErr <- discardText(conn, received) }()
	tick := time.NewTicker(MeasureInterval)
	defer tick.Stop()
	limit := time.NewTimer(s.duration + 3*time.Second) // the client stops at 10 s; allow for its buffer
	defer limit.Stop()
	ended := func(err error) error {
		closed := websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived, websocket.CloseGoingAway)
		// M-Lab's own Go client (ndt7-client-go) stops sending when its
		// 10 s are up and closes the socket without a close frame: the
		// reader sees 1006. That is the end of a whole test once the
		// test's time has run (less a margin: its clock starts a little
		// after ours); before that it is a test cut short.
		if !closed && droppedConnection(err) && time.Since(start) >= s.duration-closeMargin {
			closed = true
		}
		if closed {
			// The client closed after sending: gorilla answered its close
			// frame, if any; the caller closes the connection.
			if received.Load() == 0 {
				return errors.New("upload: the client sent nothing")
			}
			return nil
		}
		return fmt.Errorf("upload: %w", err)
	}
	for {
		select {
		case err := <-readErr:
			return ended(err)
		case <-tick.C:
			if err := s.sendMeasurement(conn, "upload", start, received.Load()); err != nil {
				// The client's close may have just been answered: then
				// the reader has its normal end.
				select {
				case rerr := <-readErr:
					return ended(rerr)
				case <-time.After(time.Second):
					return fmt.Errorf("upload: %w", err)
				}
			}
		case <-limit.C:
			_ = s.sendMeasurement(conn, "upload", start, received.Load())
			closeHandshake(conn, readErr)
			return nil
		}
	}
}

// closeMargin is how much earlier than the server's duration an upload's
// client may close the connection without a close frame and still have
// made a whole test: its 10 s start when it has read the server's upgrade
// answer, after ours.
const closeMargin = time.Second

// droppedConnection reports whether err is the peer closing the TCP
// connection without a WebSocket close frame (1006, EOF, a reset).
func droppedConnection(err error) bool {
	return websocket.IsCloseError(err, websocket.CloseAbnormalClosure) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET)
}

// discardText reads messages until an error (a close frame included). In a
// download (counter nil) a binary message breaks the protocol and ends the
// test; in an upload its bytes are counted as they arrive.
func discardText(conn *websocket.Conn, counter *atomic.Int64) error {
	buf := make([]byte, 64<<10)
	for {
		typ, rd, err := conn.NextReader()
		if err != nil {
			return err
		}
		if typ == websocket.BinaryMessage && counter == nil {
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseProtocolError, "binary message during download"),
				time.Now().Add(time.Second))
			return errors.New("the client sent a binary message during the download")
		}
		w := io.Discard
		if typ == websocket.BinaryMessage {
			w = countingDiscard{counter}
		}
		if _, err := io.CopyBuffer(w, rd, buf); err != nil {
			return err
		}
	}
}

type countingDiscard struct{ n *atomic.Int64 }

// Write counts p and drops it.
func (c countingDiscard) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return len(p), nil
}

// closeHandshake sends the close frame, waits a moment for the client's
// answer (which ends the reader), and lets the caller close the socket.
func closeHandshake(conn *websocket.Conn, readErr <-chan error) {
	err := conn.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	if err != nil {
		return
	}
	select {
	case <-readErr:
	case <-time.After(2 * time.Second):
	}
}

func (s *Server) sendMeasurement(conn *websocket.Conn, test string, start time.Time, n int64) error {
	elapsed := time.Since(start)
	m := Measurement{
		AppInfo: &AppInfo{ElapsedTime: elapsed.Microseconds(), NumBytes: n},
		Origin:  "server",
		Test:    test,
		TCPInfo: readTCPInfo(conn.NetConn(), elapsed),
	}
	return conn.WriteJSON(m)
}

// anonymous describes err without the addresses a *net.OpError carries
// ("read tcp 192.0.2.1:8080->198.51.100.7:51234: …"): the speed test never
// logs a client's address.
func anonymous(err error) string {
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Op + ": " + anonymous(op.Err)
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Error()
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "the connection ended"
	}
	return addressLike.ReplaceAllString(err.Error(), "[address]")
}

// addressLike matches an IPv4 or IPv6 address, with a port or not.
var addressLike = regexp.MustCompile(`\[?[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}\]?(:\d+)?|\d{1,3}(\.\d{1,3}){3}(:\d+)?`)
