package measure

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestKeysRotateDaily(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC)
	k := newKeys(func() time.Time { return now })
	ip := netip.MustParseAddr("203.0.113.9")

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
	now = now.Add(2 * time.Minute) // past midnight: a new key
	if k.RateKey(ip) == today {
		t.Error("the hash did not change with the day")
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
