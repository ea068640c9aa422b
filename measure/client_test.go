package measure

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestKeysRotateDailyAndKeepYesterdays(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC)
	k := newKeys(func() time.Time { return now })
	ip := netip.MustParseAddr("203.0.113.9")
	body := []byte(`{"down_mbps": 1}`)

	today := k.RateKey(ip)
	if k.RateKey(ip) != today {
		t.Error("the same address hashed twice on one day differs")
	}
	if k.RateKey(netip.MustParseAddr("203.0.113.10")) == today {
		t.Error("two addresses share a hash")
	}
	if strings.Contains(today, "cb007109") { // 203.0.113.9 in hex; a hash holds "203" now and then
		t.Errorf("rate key %s shows the address", today)
	}
	o1 := k.Origin(ip, "key", body)
	if len(o1.Request) != 1 {
		t.Fatalf("first day: %d hashes, want 1 (no yesterday)", len(o1.Request))
	}

	now = now.Add(2 * time.Minute) // past midnight: a new key
	if k.RateKey(ip) == today {
		t.Error("the hash did not change with the day")
	}
	o2 := k.Origin(ip, "key", body)
	if len(o2.Request) != 2 || !bytes.Equal(o2.Request[1], o1.Request[0]) || !bytes.Equal(o2.Body[1], o1.Body[0]) {
		t.Error("after midnight, yesterday's hashes are not offered second")
	}
	if bytes.Equal(o2.Request[0], o1.Request[0]) {
		t.Error("today's hash equals yesterday's")
	}

	now = now.Add(72 * time.Hour) // days later: yesterday's key was never made
	if o3 := k.Origin(ip, "key", body); len(o3.Request) != 1 {
		t.Errorf("after three days: %d hashes, want 1", len(o3.Request))
	}
	if o := k.Origin(ip, "", body); len(o.Request) != 0 {
		t.Error("no Idempotency-Key should give no hashes")
	}
}

func TestIPv6ClientsAreTheirSlash64(t *testing.T) {
	t.Parallel()
	k := NewKeys()
	a := k.RateKey(netip.MustParseAddr("2001:db8:aa:bb:1::1"))
	if b := k.RateKey(netip.MustParseAddr("2001:db8:aa:bb:ffff::2")); a != b {
		t.Error("two addresses of one /64 hash differently")
	}
	if c := k.RateKey(netip.MustParseAddr("2001:db8:aa:bc::1")); a == c {
		t.Error("two /64s hash alike")
	}
	if k.RateKey(netip.MustParseAddr("::ffff:192.0.2.1")) != k.RateKey(netip.MustParseAddr("192.0.2.1")) {
		t.Error("an IPv4-mapped address hashes unlike its IPv4 address")
	}
}
