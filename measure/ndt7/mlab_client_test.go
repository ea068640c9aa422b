package ndt7_test

import (
	"context"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gigakoll/gigakoll/measure/ndt7"
)

// mlabUpload uploads as M-Lab's Go client does (ndt7-client-go,
// internal/upload): 8 KiB binary messages, whatever the server sends read
// and ignored, until its own timer runs out, then the socket is closed
// without a WebSocket close frame (the server reads 1006).
func mlabUpload(t *testing.T, conn *websocket.Conn, runFor time.Duration) {
	t.Helper()
	go func() { // ignoreIncoming
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	msg, err := websocket.NewPreparedMessage(websocket.BinaryMessage, make([]byte, 1<<13))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), runFor)
	defer cancel()
	for ctx.Err() == nil {
		_ = conn.SetWriteDeadline(time.Now().Add(7 * time.Second))
		if err := conn.WritePreparedMessage(msg); err != nil {
			t.Errorf("the server stopped the upload at %v: %v", runFor-time.Until(deadline(ctx)), err)
			break
		}
	}
	conn.Close() // no close frame
}

func deadline(ctx context.Context) time.Time { d, _ := ctx.Deadline(); return d }

func TestAnUploadEndedAsMLabsGoClientEndsItCountsAsOK(t *testing.T) {
	t.Parallel()
	ts, reg := newServer(t, ndt7.Config{Duration: 2 * time.Second})
	conn := dial(t, ts, ndt7.UploadPath)
	mlabUpload(t, conn, 2*time.Second) // the client's 10 s, scaled as the server's
	waitFor(t, func() bool {
		return counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "upload", "outcome", "ok")+
			counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "upload", "outcome", "error") == 1
	})
	if got := counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "upload", "outcome", "ok"); got != 1 {
		t.Errorf("an upload that ran its time and closed without a close frame: ok %v, want 1", got)
	}
	if got := counter(t, reg, "gigakoll_ndt7_bytes_total", "direction", "upload"); got < 1<<13 {
		t.Errorf("bytes counted %v, want what the client sent", got)
	}
}

func TestAnUploadDroppedBeforeItsTimeIsAnError(t *testing.T) {
	t.Parallel()
	ts, reg := newServer(t, ndt7.Config{Duration: 4 * time.Second})
	conn := dial(t, ts, ndt7.UploadPath)
	mlabUpload(t, conn, 500*time.Millisecond) // the resident closed the tab
	waitFor(t, func() bool {
		return counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "upload", "outcome", "ok")+
			counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "upload", "outcome", "error") == 1
	})
	if got := counter(t, reg, "gigakoll_ndt7_tests_total", "direction", "upload", "outcome", "error"); got != 1 {
		t.Errorf("an upload dropped after 0.5 s of 4: error %v, want 1", got)
	}
}
