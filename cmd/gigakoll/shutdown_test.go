package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// lackingFile is a coverage file of n address points in Kalmar (0880), none
// with 1 Gbit/s: every one is in the municipality's gap report.
func lackingFile(n int) string {
	var b strings.Builder
	rng := rand.New(rand.NewPCG(22, 22))
	b.WriteString("address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;street;number\n")
	for i := range n {
		fmt.Fprintf(&b, "S%07d;0880;%d;%d;%d;0;dsl;connected;%d;Slingan %d;%d\n",
			i, 560000+rng.IntN(30000), 6270000+rng.IntN(20000), 1+rng.IntN(3), 8+rng.IntN(50), i/100, i%100)
	}
	return b.String()
}

// withGapReport imports lackingFile(points) and returns a coordinator's token.
func withGapReport(t *testing.T, pool *pgxpool.Pool, points int) string {
	t.Helper()
	ctx := context.Background()
	_, err := coverage.NewStore(pool).Import(ctx, strings.NewReader(lackingFile(points)), coverage.ImportOptions{
		Audit: auth.Entry{Actor: "test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "gaps.csv"})
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.NewStore(pool).CreateToken(ctx, auth.NewToken{Name: "Regionen", Role: auth.Coordinator})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// slowClient receives into a 4 KiB socket buffer: a reader as slow as the
// test makes it, whose window holds the server's writes back.
func slowClient() *http.Client {
	d := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableCompression: true}}
}

// SIGTERM while two address-level gap reports stream: one to a client that
// reads everything once the signal is sent, one to a client far slower
// than the shutdown deadline (it would take some ten minutes). The process
// ends within the deadline and the cut's grace; the first download is
// whole, the second cut; both are in the audit log, the cut one as
// incomplete.
func TestShutdownKeepsItsDeadline(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewWithURL(t)
	const points = 30_000
	token := withGapReport(t, pool, points)
	const deadline = 5 * time.Second
	p := startProcess(t, dbURL, "--shutdown-timeout", deadline.String())

	open := func(c *http.Client) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, p.base+"/api/v1/municipalities/0880/gaps?format=geojson", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("gap report: %d", resp.StatusCode)
		}
		return resp
	}
	whole, slow := open(http.DefaultClient), open(slowClient())
	defer whole.Body.Close()
	defer slow.Body.Close()
	br := bufio.NewReader(slow.Body)
	if _, err := br.Peek(1); err != nil { // the slow download is under way
		t.Fatal(err)
	}
	var slowRead atomic.Int64
	go func() {
		buf := make([]byte, 2048)
		for {
			k, err := br.Read(buf)
			slowRead.Add(int64(k))
			if err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()

	stopped := make(chan time.Duration, 1)
	go func() {
		took, err := p.stop(t, time.Minute)
		if err != nil {
			t.Errorf("serve exited with %v", err)
		}
		stopped <- took
	}()
	body, err := io.ReadAll(whole.Body) // after SIGTERM: in flight during the shutdown
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(body)), "]}") {
		t.Errorf("the download read at full speed broke off after %d bytes: %v", len(body), err)
	}
	took := <-stopped
	t.Logf("SIGTERM to exit: %v (deadline %v, grace %v)", took.Round(time.Millisecond), deadline, cutGrace)
	if limit := deadline + cutGrace + 5*time.Second; took > limit {
		t.Errorf("serve took %v to stop, more than the deadline %v and the cut's grace", took, deadline)
	}
	if n := slowRead.Load(); n > 5<<20 {
		t.Errorf("the slow client read %d bytes: it was not slow enough to outlive the deadline", n)
	}

	rows, err := pool.Query(context.Background(), `SELECT rows, detail FROM audit_log WHERE action = 'gaps' ORDER BY rows DESC`)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		rows   int64
		detail string
	}
	var got []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.rows, &e.detail); err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if len(got) != 2 {
		t.Fatalf("%d audit entries of the downloads, want 2: %+v\nlog:\n%s", len(got), got, p.logs.String())
	}
	if got[0].rows != points || strings.Contains(got[0].detail, "incomplete") {
		t.Errorf("the whole download is audited as %+v, want %d rows", got[0], points)
	}
	if got[1].rows >= points || !strings.Contains(got[1].detail, "incomplete") {
		t.Errorf("the cut download is audited as %+v, want fewer rows, marked incomplete", got[1])
	}
	if strings.Contains(p.logs.String(), "audit entry lost") {
		t.Errorf("an audit entry was lost:\n%s", p.logs.String())
	}
}

// A speed test still running at the deadline (1 s here, against a test of
// about 10 s) is cut: serve returns within the deadline and the cut's
// grace, and the client's connection ends.
func TestShutdownCutsASpeedTestAtTheDeadline(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	base, stop, _ := startServe(t, map[string]string{"DATABASE_URL": dbURL, "GIGAKOLL_SHUTDOWN_TIMEOUT": "1s"})
	d := websocket.Dialer{Subprotocols: []string{"net.measurementlab.ndt.v7"}}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ndt/v7/download", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ended := make(chan error, 1)
	go func() {
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				ended <- err
				return
			}
		}
	}()
	start := time.Now()
	if err := stop(); err != nil {
		t.Errorf("serve returned %v, want nil", err)
	}
	if took := time.Since(start); took > time.Second+cutGrace+3*time.Second {
		t.Errorf("serve took %v to stop with a 1 s deadline", took)
	}
	select {
	case err := <-ended:
		if websocket.IsCloseError(err, websocket.CloseNormalClosure) {
			t.Errorf("the speed test ended normally; want it cut")
		}
	case <-time.After(5 * time.Second):
		t.Error("the speed test's connection outlived serve")
	}
}
