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
// rate limiting and Idempotency-Key records (spec/measurements.md, "Privacy
// by design"). The key is random, made in memory, replaced every UTC day,
// and never written to disk, a log or the database; yesterday's key is kept
// for one day so that a retry just after midnight still finds its first
// answer. Once a key is gone, nothing hashed with it can be matched to an
// address again.
type Keys struct {
	mu   sync.Mutex
	now  func() time.Time
	day  time.Time // the UTC day of cur
	cur  []byte
	prev []byte // the key of the day before day, or nil
}

// NewKeys returns Keys with a fresh key for today.
func NewKeys() *Keys { return newKeys(time.Now) }

func newKeys(now func() time.Time) *Keys {
	k := &Keys{now: now}
	k.rotate()
	return k
}

// keys returns today's key and yesterday's (nil if there was none),
// rotating first when the day has changed.
func (k *Keys) keys() (cur, prev []byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.rotateLocked()
	return k.cur, k.prev
}

func (k *Keys) rotate() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.rotateLocked()
}

func (k *Keys) rotateLocked() {
	today := k.now().UTC().Truncate(24 * time.Hour)
	if k.cur != nil && today.Equal(k.day) {
		return
	}
	if k.cur != nil && today.Equal(k.day.Add(24*time.Hour)) {
		k.prev = k.cur
	} else {
		k.prev = nil // more than a day passed: yesterday's key was never made
	}
	k.cur = make([]byte, 32)
	_, _ = rand.Read(k.cur) // crypto/rand.Read never fails (Go 1.24+)
	k.day = today
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
	cur, _ := k.keys()
	return hex.EncodeToString(mac(cur, []byte("rate"), clientBytes(ip)))
}

// Origin is who sent a submission and what, as keyed hashes only: one pair
// per live key, today's first. The store records the first pair with an
// Idempotency-Key and matches a retry against either.
type Origin struct {
	Request [][]byte // HMAC of (client address, Idempotency-Key)
	Body    [][]byte // HMAC of the request body, byte for byte
}

// Origin hashes a request for the Idempotency-Key records; with no key it
// is empty.
func (k *Keys) Origin(ip netip.Addr, idempotencyKey string, body []byte) Origin {
	var o Origin
	if idempotencyKey == "" {
		return o
	}
	cur, prev := k.keys()
	for _, key := range [][]byte{cur, prev} {
		if key == nil {
			continue
		}
		o.Request = append(o.Request, mac(key, []byte("request"), clientBytes(ip), []byte(idempotencyKey)))
		o.Body = append(o.Body, mac(key, []byte("body"), body))
	}
	return o
}
