package measure

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"time"
)

// An Idempotency-Key names one submission wherever it arrives: any server
// on the database, before and after a restart, and from another network (a
// phone that moved from Wi-Fi to mobile data keeps its key). Its record
// holds no client address and nothing the measurement's row does not hold
// (migrations/0100_idempotency_keys.sql): the SHA-256 of the key, and a
// fingerprint of the measurement as placed. A record is recognised for 24
// hours.

// IdempotencyLifetime is how long a key's first answer is given again.
const IdempotencyLifetime = 24 * time.Hour

// keyHash is what is stored of an Idempotency-Key. Clients make keys unique
// (a UUID), so the hash names a request and nobody; no secret is needed,
// and every server computes the same.
func keyHash(key string) []byte {
	h := sha256.Sum256([]byte("gigakoll idempotency key\x00" + key))
	return h[:]
}

// fingerprint says whether a retry carries the same measurement: a hash of
// what the measurement's row holds (its square, municipality, speeds,
// connection, source, operator) and of the hour only when the client gave
// measured_at (without it the hour is the time of receipt, which a retry
// an hour later does not share). It is deliberately not a hash of the
// body, whose exact position or typed address could be recovered from it by
// guessing: two bodies placed in the same square with the same figures are
// the same measurement.
func fingerprint(m Measurement) []byte {
	h := sha256.New()
	var b []byte
	num := func(v float64) { b = binary.BigEndian.AppendUint64(b, math.Float64bits(v)) }
	opt := func(v *float64) {
		if v == nil {
			b = append(b, 0)
			return
		}
		b = append(b, 1)
		num(*v)
	}
	text := func(s string) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(m.Square.E))
	b = binary.BigEndian.AppendUint64(b, uint64(m.Square.N))
	text(m.Municipality.Code)
	num(m.DownMbps)
	num(m.UpMbps)
	opt(m.LatencyMs)
	opt(m.JitterMs)
	opt(m.SubscribedDownMbps)
	text(m.Connection)
	text(m.Source)
	if m.Operator != "" { // appended only when given: a record written before operators were taken still matches
		b = append(b, 'o')
		text(m.Operator)
	}
	if m.measuredAtGiven {
		b = append(b, 1)
		b = binary.BigEndian.AppendUint64(b, uint64(m.MeasuredAt.UTC().Truncate(time.Hour).Unix()))
	} else {
		b = append(b, 0)
	}
	h.Write(b)
	return h.Sum(nil)
}
