package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/server"
)

// measureCoverage: a few address points in Kalmar (0880) for the address
// field and the suggestions; Storgatan 1 also exists in Nybro (0881).
// Storgatan's square holds 5 households, all offered 1 Gbit/s: public, so
// that what is offered there is published beside the measurements; and
// Lillgatan 6 holds 5, so that no household of Kalmar is left out (what is
// left out must be none or at least 5, else the squares are withheld).
const measureCoverage = `address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;up_mbps;street;number;postcode;locality
K1;0880;583010;6280260;2;0;fiber;connected;1000;1000;Storgatan;1;39231;Kalmar
K2;0880;583020;6280270;2;0;fiber;connected;1000;1000;Storgatan;3;39231;Kalmar
K3;0880;583030;6280280;1;0;fiber;passed;1000;1000;Storgatan;5;39231;Kalmar
K6;0880;583280;6280320;5;0;dsl;connected;24;2;Lillgatan;6;39232;Kalmar
N1;0881;560010;6290010;1;0;fiber;connected;1000;1000;Storgatan;1;38230;Nybro
`

// withMeasureCoverage imports measureCoverage and builds the suggestions.
func withMeasureCoverage(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	importCoverage(t, pool, "measure.csv", strings.NewReader(measureCoverage), time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	if err := measure.RefreshAddresses(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a log sink the server and the test share.
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

// measureServer serves pool with every log line, debug included, as JSON in
// logs. A non-empty remote makes every connection come from that address
// (a listener that says so), as a resident behind it would.
type measureServerOpts struct {
	rate   measure.Rate
	remote string // "198.51.100.23:40000"; "": the real loopback address
}

func measureServer(t *testing.T, pool *pgxpool.Pool, o measureServerOpts) (*httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	h, err := server.New(server.Deps{
		Pool:         pool,
		Log:          slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Registry:     prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second,
		Version:      "test",
		MeasureRate:  o.rate,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ErrorLog = nil
	if o.remote != "" {
		addr, err := net.ResolveTCPAddr("tcp", o.remote)
		if err != nil {
			t.Fatal(err)
		}
		ts.Listener = remoteListener{Listener: ts.Listener, remote: addr}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts, logs
}

// remoteListener hands out connections that report remote as their peer.
type remoteListener struct {
	net.Listener
	remote net.Addr
}

func (l remoteListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return remoteConn{Conn: c, remote: l.remote}, nil
}

type remoteConn struct {
	net.Conn
	remote net.Addr
}

func (c remoteConn) RemoteAddr() net.Addr { return c.remote }

// post sends a body to POST /api/v1/measurements with the headers given as
// name, value pairs (Content-Type application/json unless given).
func post(t *testing.T, base, body string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/measurements", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// errorFields lists the fields an error body names.
func errorFields(t *testing.T, body []byte) []string {
	t.Helper()
	var e struct {
		Errors []struct{ Field, Message string }
	}
	if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) == 0 {
		t.Fatalf("not an error body: %s (%v)", body, err)
	}
	var out []string
	for _, f := range e.Errors {
		out = append(out, f.Field)
	}
	return out
}
