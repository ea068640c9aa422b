package measure

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"sync"
	"time"
)

// Keys turns a client's IP address into keyed hashes (HMAC-SHA256) for
// rate limiting (spec/measurements.md, "Privacy by design"). The key is
// random, made in memory, replaced every UTC day, and never written to
// disk, a log or the database. Once a key is gone, nothing hashed with it
// can be matched to an address again.
type Keys struct {
	mu  sync.Mutex
	now func() time.Time
	day time.Time // the UTC day of cur
	cur []byte
}

// NewKeys returns Keys with a fresh key for today.
func NewKeys() *Keys { return newKeys(time.Now) }

func newKeys(now func() time.Time) *Keys {
	k := &Keys{now: now}
	k.key()
	return k
}

// key returns today's key, made anew when the day has changed.
func (k *Keys) key() []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	today := k.now().UTC().Truncate(24 * time.Hour)
	if k.cur == nil || !today.Equal(k.day) {
		k.cur = make([]byte, 32)
		_, _ = rand.Read(k.cur) // crypto/rand.Read never fails (Go 1.24+)
		k.day = today
	}
	return k.cur
}

// clientBytes is the address as hashed: an IPv6 client is its /64, which
// is what one household gets, so hopping through its own addresses does not
// dodge the rate limit.
func clientBytes(ip netip.Addr) []byte {
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		ip = p.Addr()
	}
	b, _ := ip.MarshalBinary()
	return b
}

func mac(key []byte, parts ...[]byte) []byte {
	h := hmac.New(sha256.New, key)
	for _, p := range parts {
		// length-prefixed, so that ("ab","c") and ("a","bc") differ
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(p))))
		h.Write(p)
	}
	return h.Sum(nil)
}

// RateKey names the client for the rate limiter: a hex HMAC of its
// address under today's key.
func (k *Keys) RateKey(ip netip.Addr) string {
	return hex.EncodeToString(mac(k.key(), []byte("rate"), clientBytes(ip)))
}
