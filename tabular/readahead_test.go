package tabular

import (
	"bytes"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
	"testing/iotest"
	"time"
)

func TestReadAheadGivesTheBytesInOrder(t *testing.T) {
	data := make([]byte, 3*readAheadChunk+12345)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	ra := newReadAhead(iotest.HalfReader(bytes.NewReader(data)))
	defer ra.Close()
	got, err := io.ReadAll(iotest.OneByteReader(io.LimitReader(ra, 1000)))
	if err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(ra)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(got, rest...), data) {
		t.Error("read-ahead changed the bytes")
	}
}

func TestReadAheadStopsWhenClosedEarly(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 20 {
		ra := newReadAhead(bytes.NewReader(make([]byte, 10*readAheadChunk)))
		buf := make([]byte, 10)
		ra.Read(buf)
		ra.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left running after Close", n-before)
	}
}
