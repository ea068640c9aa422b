package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// startServe runs gigakoll serve on a free port and returns its base URL and
// a stop function that returns run's error.
func startServe(t *testing.T, vars map[string]string) (string, func() error, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, env(vars), strings.NewReader(""), io.Discard, stderr)
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(stderr.String()))
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
				stop := func() error {
					cancel()
					select {
					case err := <-done:
						return err
					case <-time.After(30 * time.Second):
						t.Fatal("serve did not stop within 30 s of SIGTERM")
						return nil
					}
				}
				return "http://" + line.Addr, stop, stderr
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start:\n%s", stderr.String())
	return "", nil, nil
}

func TestServeIsReadyAndStopsGracefully(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	base, stop, logs := startServe(t, map[string]string{"DATABASE_URL": dbURL})

	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("readyz = %d, want 200", resp.StatusCode)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"gigakoll_build_info{", "go_goroutines", "process_resident_memory_bytes", "gigakoll_db_pool_total_conns"} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if err := stop(); err != nil {
		t.Errorf("serve returned %v on shutdown, want nil", err)
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Errorf("no graceful stop in the log:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "gigakoll:gigakoll@") || strings.Contains(logs.String(), dbURL) {
		t.Error("the log holds the database password")
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve", "--help"}, env(map[string]string{"DATABASE_URL": "postgres://u:secret@h/db"}), nil, &out, &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DATABASE_URL", "GIGAKOLL_ADDR", "GIGAKOLL_LOG_LEVEL", "GIGAKOLL_QUERY_TIMEOUT", ":8080",
		"GIGAKOLL_TLS_CERT", "GIGAKOLL_ACME_DOMAINS", "GIGAKOLL_TRUSTED_PROXIES", "GIGAKOLL_HTTP_REDIRECT_ADDR"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
	if strings.Contains(out.String(), "secret") {
		t.Error("--help prints the database password")
	}
}

func TestEnvironmentThenFlags(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve"}, env(map[string]string{"GIGAKOLL_QUERY_TIMEOUT": "soon"}), nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "GIGAKOLL_QUERY_TIMEOUT") {
		t.Errorf("a bad GIGAKOLL_QUERY_TIMEOUT gave %v, want an error naming it", err)
	}
	err = run(context.Background(), []string{"migrate"}, env(nil), nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("migrate without a database gave %v, want an error naming DATABASE_URL", err)
	}
	err = run(context.Background(), []string{"version", "--log-level", "loud"}, env(map[string]string{"GIGAKOLL_LOG_LEVEL": "debug"}), nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "loud") {
		t.Errorf("--log-level loud over a valid environment gave %v, want the flag to win and be refused", err)
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, env(nil), nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "gigakoll ") || !strings.Contains(out.String(), "go1.") {
		t.Errorf("version printed %q", out.String())
	}
}

// TestShutdownLetsASpeedTestFinish stops the server while an ndt7 download
// runs: the test must run to its normal end (close code 1000), not be cut,
// and serve must then return cleanly.
func TestShutdownLetsASpeedTestFinish(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	base, stop, _ := startServe(t, map[string]string{"DATABASE_URL": dbURL})

	d := websocket.Dialer{Subprotocols: []string{"net.measurementlab.ndt.v7"}}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ndt/v7/download", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, _, err := conn.ReadMessage(); err != nil { // the test has started
		t.Fatal(err)
	}
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		var bytes int64
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				if !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
					t.Errorf("the speed test ended with %v after %d bytes, want a normal close", err, bytes)
				}
				return
			}
			bytes += int64(len(msg))
		}
	}()
	// SIGTERM while the test runs: serve may return only once it has ended
	// (the process exits then, and would cut a test still running).
	if err := stop(); err != nil {
		t.Errorf("serve returned %v, want nil", err)
	}
	// The server has sent the close by now; the client reads what is on
	// the way within moments. Without the wait the test would still run
	// for some 9 s.
	select {
	case <-ended:
	case <-time.After(3 * time.Second):
		t.Error("serve returned while a speed test was still running")
		<-ended
	}
}
