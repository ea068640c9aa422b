package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/klauspost/compress/gzip"

	"github.com/gigakoll/gigakoll/geo"
)

// The tile cache: public tiles by layer, data version and address, each
// kept as made and gzipped, bounded in bytes.

// tileKey names a cached tile.
type tileKey struct {
	layer, version string
	tile           geo.Tile
}

func (k tileKey) String() string { return k.layer + "/" + k.version + "/" + geo.TilePath(k.tile) }

// etag is the key's hash with the binary's version: a new release may make
// other tiles from the same data. Weak: the gzipped tile and the plain one
// mean the same.
func (k tileKey) etag(release string) string {
	sum := sha256.Sum256([]byte(release + "\x00" + k.String()))
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// cachedTile is a tile as made, and gzipped once for the clients that take
// it so (nearly all): a cached tile costs no compression per request.
type cachedTile struct {
	raw, gz []byte // nil: an empty tile
}

// tileGzipLevel is the compression of a tile made on request: the fastest
// level. On the national tiles (bench/sweden.md, third run) it takes 40 to
// 60 % of the CPU time of the default level (6), and the gzipped tiles come
// out 4 to 14 % larger (a z14 squares tile: 43.9 % of its bytes against
// 40.8 %).
const tileGzipLevel = gzip.BestSpeed

// tileGzipWriters keeps gzip writers for reuse. A new writer allocates and
// clears about 1 MB of tables, which cost more CPU time than compressing a
// tile of a few kilobytes (0.6–0.9 ms against 5–30 µs) and, at hundreds of
// cold tiles a second, a garbage collection every few dozen tiles.
var tileGzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, tileGzipLevel) // the level is valid
	return zw
}}

func newCachedTile(raw []byte) (cachedTile, error) {
	if len(raw) == 0 {
		return cachedTile{}, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(raw)/2 + 64)
	zw := tileGzipWriters.Get().(*gzip.Writer)
	defer func() {
		zw.Reset(io.Discard) // not holding on to the tile
		tileGzipWriters.Put(zw)
	}()
	zw.Reset(&buf)
	if _, err := zw.Write(raw); err != nil {
		return cachedTile{}, fmt.Errorf("gzip a tile: %w", err)
	}
	if err := zw.Close(); err != nil {
		return cachedTile{}, fmt.Errorf("gzip a tile: %w", err)
	}
	return cachedTile{raw: raw, gz: buf.Bytes()}, nil
}

func (c cachedTile) size() int64 { return int64(len(c.raw) + len(c.gz)) }

// tileCache is an LRU of tiles bounded by their bytes. Empty tiles are
// cached too (sea and forest are most of the map), at the entry's overhead.
type tileCache struct {
	mu    sync.Mutex
	lru   *simplelru.LRU[tileKey, cachedTile]
	bytes int64
	max   int64
}

// tileEntryOverhead approximates an entry's memory besides the tile: key,
// list element and map slot.
const tileEntryOverhead = 160

func newTileCache(maxBytes int64) *tileCache {
	c := &tileCache{max: maxBytes}
	// The LRU's own count limit never binds: bytes do.
	c.lru, _ = simplelru.NewLRU(math.MaxInt, func(_ tileKey, v cachedTile) {
		c.bytes -= v.size() + tileEntryOverhead
	})
	return c
}

func (c *tileCache) get(k tileKey) (cachedTile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Get(k)
}

// add keeps the tile unless it alone would take more than an eighth of the
// cache, then drops the least recently used tiles until the cache fits.
func (c *tileCache) add(k tileKey, v cachedTile) {
	cost := v.size() + tileEntryOverhead
	if cost > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Remove(k) // a tile made twice: count it once
	c.lru.Add(k, v)
	c.bytes += cost
	for c.bytes > c.max {
		c.lru.RemoveOldest()
	}
}

func (c *tileCache) size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}
