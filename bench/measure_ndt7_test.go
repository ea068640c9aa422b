package bench

import (
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gigakoll/gigakoll/measure/ndt7"
)

// BenchmarkMeasureNDT7Download runs ndt7 downloads on loopback against
// gigakoll's ndt7 server and, in the same run, against a plain WebSocket
// sender: the least a download can be, one prepared 1 MiB binary message
// written again and again for the same 10 seconds, with no measurements,
// no scaling and no TCP_INFO. The same Go client reads both, frame by frame
// into one buffer. It reports gigakoll's throughput over the plain one's.
//
//	make bench-measure    (or: go test ./bench -run '^$' -bench MeasureNDT7 -benchtime 1x -v)
func BenchmarkMeasureNDT7Download(b *testing.B) {
	s, err := ndt7.New(ndt7.Config{})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+ndt7.DownloadPath, s.Download)
	mux.HandleFunc("GET /plain", plainSender(ndt7.DefaultDuration))
	base := "ws" + strings.TrimPrefix(serveLoopback(b, mux), "http")
	for range b.N {
		var ours, plain []float64
		for range 3 {
			plain = append(plain, downloadMbps(b, base+"/plain"))
			ours = append(ours, downloadMbps(b, base+ndt7.DownloadPath))
		}
		o, p := median(ours), median(plain)
		b.ReportMetric(o/p, "x-plain")
		b.ReportMetric(o, "Mbit/s")
		for i := range ours {
			b.Logf("round %d: plain %.0f Mbit/s, ndt7 %.0f Mbit/s", i+1, plain[i], ours[i])
		}
		b.Logf("ndt7 download %.0f Mbit/s, plain WebSocket %.0f Mbit/s: ratio %.2f of the medians (10 s each, three times, alternating)", o, p, o/p)
	}
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	for i := range s { // a handful of values: insertion sort
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

// plainSender upgrades and writes a prepared 1 MiB message for d.
func plainSender(d time.Duration) http.HandlerFunc {
	payload := make([]byte, 1<<20)
	rand.Read(payload)
	pm, _ := websocket.NewPreparedMessage(websocket.BinaryMessage, payload)
	up := websocket.Upgrader{Subprotocols: []string{ndt7.Subprotocol}, ReadBufferSize: 64 << 10, WriteBufferSize: 64 << 10}
	return func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		go func() { // answer the close frame
			for {
				if _, _, err := conn.NextReader(); err != nil {
					return
				}
			}
		}()
		for end := time.Now().Add(d); time.Now().Before(end); {
			if conn.WritePreparedMessage(pm) != nil {
				return
			}
		}
		conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	}
}

// downloadMbps reads a download to its end and returns bits per second of
// binary payload over the time from the first byte to the close, in Mbit/s.
func downloadMbps(b *testing.B, url string) float64 {
	b.Helper()
	d := websocket.Dialer{Subprotocols: []string{ndt7.Subprotocol}, ReadBufferSize: 64 << 10}
	conn, _, err := d.Dial(url, nil)
	if err != nil {
		b.Fatalf("dial %s: %v", url, err)
	}
	defer conn.Close()
	conn.SetReadLimit(ndt7.MaxMessageSize)
	buf := make([]byte, 64<<10)
	var bytes int64
	var start time.Time
	for {
		typ, rd, err := conn.NextReader()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure {
				b.Fatalf("%s ended with %v", url, err)
			}
			break
		}
		if start.IsZero() {
			start = time.Now()
		}
		n, err := io.CopyBuffer(io.Discard, rd, buf)
		if err != nil {
			b.Fatal(err)
		}
		if typ == websocket.BinaryMessage {
			bytes += n
		}
	}
	return float64(bytes) * 8 / time.Since(start).Seconds() / 1e6
}
