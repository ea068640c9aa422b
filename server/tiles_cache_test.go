package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/gigakoll/gigakoll/geo"
)

func TestTileCacheStaysWithinItsBytes(t *testing.T) {
	const max = 100 * (1000 + tileEntryOverhead)
	c := newTileCache(max)
	key := func(i int) tileKey {
		return tileKey{layer: "squares", version: "s1", tile: geo.Tile{Z: 14, X: uint32(i)}}
	}
	for i := range 1000 {
		c.add(key(i), cachedTile{raw: make([]byte, 1000)})
		if c.size() > max {
			t.Fatalf("after %d tiles the cache holds %d bytes, more than %d", i+1, c.size(), max)
		}
	}
	if _, ok := c.get(key(999)); !ok {
		t.Error("the newest tile is gone")
	}
	if _, ok := c.get(key(0)); ok {
		t.Error("the oldest tile is still there")
	}
	if got, want := c.size(), int64(max); got != want {
		t.Errorf("a full cache holds %d bytes, want %d", got, want)
	}

	// A tile used recently outlives the others.
	c.get(key(900))
	for i := 1000; i < 1099; i++ {
		c.add(key(i), cachedTile{raw: make([]byte, 1000)})
	}
	if _, ok := c.get(key(900)); !ok {
		t.Error("a recently used tile was evicted before older ones")
	}

	// The same tile made twice counts once; an empty tile costs its overhead.
	before := c.size()
	c.add(key(1098), cachedTile{raw: make([]byte, 1000)})
	if c.size() != before {
		t.Errorf("adding a tile again changed the size from %d to %d", before, c.size())
	}
	small := newTileCache(max)
	small.add(key(1), cachedTile{})
	if small.size() != tileEntryOverhead {
		t.Errorf("an empty tile costs %d, want %d", small.size(), tileEntryOverhead)
	}
	if v, ok := small.get(key(1)); !ok || v.raw != nil {
		t.Errorf("an empty tile comes back as %v, %v", v, ok)
	}
	// A tile larger than an eighth of the cache is not kept.
	small.add(key(2), cachedTile{raw: make([]byte, max/4)})
	if _, ok := small.get(key(2)); ok {
		t.Error("a huge tile was cached")
	}
}

// A cold tile is gzipped with a writer kept for reuse: a new writer
// allocates about 1 MB of tables, more CPU time than compressing a tile of a
// few kilobytes, and a garbage collection every few dozen cold tiles
// (bench/sweden.md, third run). The gzipped copy still gives the tile back.
func TestColdTilesAreGzippedWithoutANewWriterEach(t *testing.T) {
	// A tile-like body: repeated keys and values with varying numbers.
	var raw []byte
	for i := range 200 {
		raw = append(raw, fmt.Sprintf("\x1a\x0bsquare\x22250m-E%d-N%d\x28%d", 583000+250*(i%17), 6280000+250*(i/17), i%29)...)
	}
	newCachedTile(raw) //nolint:errcheck // the pool's first writer
	const tiles = 50
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range tiles {
		c, err := newCachedTile(raw)
		if err != nil {
			t.Fatal(err)
		}
		if c.gz == nil || len(c.gz) >= len(raw) {
			t.Fatalf("a %d-byte tile gzipped to %d bytes", len(raw), len(c.gz))
		}
	}
	runtime.ReadMemStats(&after)
	// The tile's own copy and the writer's small state: a few kilobytes.
	// A new writer per tile: about 1 MB each.
	if perTile := (after.TotalAlloc - before.TotalAlloc) / tiles; perTile > 64<<10 {
		t.Errorf("gzipping a %d-byte tile allocates %d bytes, want a few kB: a new writer per tile", len(raw), perTile)
	}
	c, err := newCachedTile(raw)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(c.gz))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, raw) || !bytes.Equal(c.raw, raw) {
		t.Errorf("the gzipped tile does not give the tile back (%v)", err)
	}
	if empty, err := newCachedTile(nil); err != nil || empty.raw != nil || empty.gz != nil {
		t.Errorf("an empty tile: %+v, %v", empty, err)
	}
}
