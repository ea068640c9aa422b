package ndt7_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/measure/ndt7"
)

func newServer(t *testing.T, cfg ndt7.Config) (*httptest.Server, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	cfg.Registry = reg
	s, err := ndt7.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+ndt7.DownloadPath, s.Download)
	mux.HandleFunc("GET "+ndt7.UploadPath, s.Upload)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts, reg
}

func dial(t *testing.T, ts *httptest.Server, path string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{ndt7.Subprotocol}}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+path+"?client_name=test", nil)
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	if resp.Header.Get("Sec-WebSocket-Protocol") != ndt7.Subprotocol {
		t.Errorf("the upgrade answered subprotocol %q", resp.Header.Get("Sec-WebSocket-Protocol"))
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func counter(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					found = found || lp.GetName() == labels[i] && lp.GetValue() == labels[i+1]
				}
				if !found {
					continue metrics
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s %v", name, labels)
	return 0
}

func TestDownloadFollowsTheSpec(t *testing.T) {
	t.Parallel()
	ts, reg := newServer(t, ndt7.Config{Duration: 2 * time.Second})
	conn := dial(t, ts, ndt7.DownloadPath)

	var sizes []int
	var total int64
	var last ndt7.Measurement
	measurements := 0
	var closeErr error
	for {
		typ, msg, err := conn.ReadMessage()
		if err != nil {
			closeErr = err
			break
		}
		switch typ {
		case websocket.BinaryMessage:
			sizes = append(sizes, len(msg))
			total += int64(len(msg))
		case websocket.TextMessage:
			measurements++
			if err := json.Unmarshal(msg, &last); err != nil {
				t.Fatalf("measurement %q: %v", msg, err)
			}
		}
	}
	if !websocket.IsCloseError(closeErr, websocket.CloseNormalClosure) {
		t.Errorf("the download ended with %v, want the server's normal close", closeErr)
	}
	// The scaling rule, checked on what arrived: start at 8 KiB, double
	// only while a message is at most 1/16 of what was sent before it
	// (itself included), never beyond 1 MiB.
	if len(sizes) == 0 || sizes[0] != 8192 {
		t.Fatalf("first sizes %v, want 8192 first", sizes[:min(5, len(sizes))])
	}
	var sent int64
	for i, sz := range sizes {
		if i > 0 && sz != sizes[i-1] {
			if sz != 2*sizes[i-1] || int64(sizes[i-1]) > sent/16 || sz > 1<<20 {
				t.Fatalf("message %d grew from %d to %d after %d bytes", i, sizes[i-1], sz, sent)
			}
		}
		sent += int64(sz)
	}
	if max := sizes[len(sizes)-1]; total > 64<<20 && max != 1<<20 {
		t.Errorf("after %d bytes the messages are %d bytes, want 1 MiB", total, max)
	}
	if measurements < 2 || measurements > 2*4+2 {
		t.Errorf("%d measurements in 2 s, want one per 250 ms at most", measurements)
	}
	if last.AppInfo == nil || last.AppInfo.NumBytes != total || last.AppInfo.ElapsedTime <= 0 || last.Test != "download" || last.Origin != "server" {
		t.Errorf("last measurement %+v, want AppInfo with the %d bytes sent", last.AppInfo, total)
	}
	if runtime.GOOS == "linux" && (last.TCPInfo == nil || last.TCPInfo.MinRTT <= 0 || last.TCPInfo.BytesAcked <= 0) {
		t.Errorf("last measurement's TCPInfo %+v, want the kernel's RTT on Linux", last.TCPInfo)
	}
	waitFor(t, func() bool {
		return counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "download", "outcome", "ok") == 1
	})
	if got := counter(t, reg, "gigakoll_ndt7_bytes_total", "direction", "download"); got != float64(total) {
		t.Errorf("bytes_total %v, want %d", got, total)
	}
}

func TestUploadReadsFrameByFrame(t *testing.T) {
	// Not parallel: it measures the process's allocations while it runs.
	ts, reg := newServer(t, ndt7.Config{Duration: 3 * time.Second})
	conn := dial(t, ts, ndt7.UploadPath)
	serverSaw := make(chan ndt7.Measurement, 100)
	go func() {
		defer close(serverSaw)
		for {
			typ, msg, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var m ndt7.Measurement
			if typ == websocket.TextMessage && json.Unmarshal(msg, &m) == nil {
				serverSaw <- m
			}
		}
	}()
	// 48 MiB in messages of 8 MiB (as ndt7-js sends at speed), written
	// frame by frame from one small buffer, and a client measurement.
	chunk := make([]byte, 256<<10)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	const messages, size = 6, 8 << 20
	for range messages {
		w, err := conn.NextWriter(websocket.BinaryMessage)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"AppInfo":{"ElapsedTime":1000,"NumBytes":1},"Origin":"client"}`)); err != nil {
		t.Fatal(err)
	}
	var last ndt7.Measurement
	for m := range serverSaw {
		last = m
		if m.AppInfo != nil && m.AppInfo.NumBytes == messages*size {
			break
		}
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if last.AppInfo == nil || last.AppInfo.NumBytes != messages*size || last.Test != "upload" {
		t.Fatalf("the server's last measurement %+v, want all %d bytes counted", last.AppInfo, messages*size)
	}
	// Server and client share this process: 48 MiB passed through, and
	// far less than one 8 MiB message was allocated on the way.
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 8<<20 {
		t.Errorf("%d MiB allocated while 48 MiB were uploaded: something buffers whole messages", grown>>20)
	}
	conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	for range serverSaw { // until the server closes
	}
	waitFor(t, func() bool {
		return counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "upload", "outcome", "ok") == 1
	})
	if got := counter(t, reg, "gigakoll_ndt7_bytes_total", "direction", "upload"); got != messages*size {
		t.Errorf("bytes_total %v, want %d", got, messages*size)
	}
}

func TestABinaryMessageDuringTheDownloadEndsIt(t *testing.T) {
	t.Parallel()
	ts, reg := newServer(t, ndt7.Config{Duration: 5 * time.Second})
	conn := dial(t, ts, ndt7.DownloadPath)
	if err := conn.WriteMessage(websocket.BinaryMessage, []byte("not allowed")); err != nil {
		t.Fatal(err)
	}
	var err error
	for err == nil {
		_, _, err = conn.ReadMessage()
	}
	if !websocket.IsCloseError(err, websocket.CloseProtocolError) {
		t.Errorf("the download ended with %v, want a protocol error close", err)
	}
	waitFor(t, func() bool {
		return counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "download", "outcome", "error") == 1
	})
}

func TestTheUpgradeChecksTheRequest(t *testing.T) {
	t.Parallel()
	ts, reg := newServer(t, ndt7.Config{})
	ws := "ws" + strings.TrimPrefix(ts.URL, "http")
	for _, tt := range []struct {
		name, path string
		protocols  []string
	}{
		{"no subprotocol", ndt7.DownloadPath, nil},
		{"another subprotocol", ndt7.UploadPath, []string{"chat"}},
		{"a query string over 4096 bytes", ndt7.DownloadPath + "?x=" + strings.Repeat("a", 4100), []string{ndt7.Subprotocol}},
		{"a query string that does not parse", ndt7.DownloadPath + "?x=%zz", []string{ndt7.Subprotocol}},
	} {
		d := websocket.Dialer{Subprotocols: tt.protocols}
		_, resp, err := d.Dial(ws+tt.path, nil)
		if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %v, status %v; want 400", tt.name, err, resp)
		}
	}
	if got := counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "download", "outcome", "rejected"); got != 3 {
		t.Errorf("rejected downloads %v, want 3", got)
	}
}

func TestConcurrentTestsAreBounded(t *testing.T) {
	t.Parallel()
	ts, reg := newServer(t, ndt7.Config{MaxTests: 1, Duration: 3 * time.Second})
	first := dial(t, ts, ndt7.DownloadPath)
	if _, _, err := first.NextReader(); err != nil { // the first test is running
		t.Fatal(err)
	}
	d := websocket.Dialer{Subprotocols: []string{ndt7.Subprotocol}}
	_, resp, err := d.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+ndt7.UploadPath, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a second test while one runs: %v %v, want 503 with Retry-After", err, resp)
	}
	body, _ := io.ReadAll(resp.Body)
	if len(body) == 0 {
		t.Error("the 503 says nothing")
	}
	if got := counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "upload", "outcome", "refused"); got != 1 {
		t.Errorf("refused uploads %v, want 1", got)
	}
	if got := counter(t, reg, "gigakoll_ndt7_running_tests", "direction", "download"); got != 1 {
		t.Errorf("running downloads %v, want 1", got)
	}
}

// waitFor polls cond for up to 20 s: the server counts a test when its
// handler returns, just after the client saw the close.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(errors.New("timed out waiting for the server"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAnAbortedTestLogsNoAddress(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	var mu sync.Mutex
	s, err := ndt7.New(ndt7.Config{Duration: 5 * time.Second,
		Log: slog.New(slog.NewJSONHandler(writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			return logs.Write(p)
		}), &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(s.Download))
	t.Cleanup(ts.Close)
	d := websocket.Dialer{Subprotocols: []string{ndt7.Subprotocol}}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(ts.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := conn.NextReader(); err != nil {
		t.Fatal(err)
	}
	conn.NetConn().Close() // the resident closes the tab mid-test
	waitFor(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(logs.String(), "speed test ended early")
	})
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), "127.0.0.1") {
		t.Errorf("the log holds the client's address:\n%s", logs.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
