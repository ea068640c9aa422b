package server

import (
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
