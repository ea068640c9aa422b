package measure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Submission is a measurement as a resident or an app sends it to
// POST /api/v1/measurements (spec/measurements.md, "API"). Pointers tell a
// field left out from one given; JSON null counts as left out.
type Submission struct {
	DownMbps           *float64 // required: 0 < v ≤ 100 000
	UpMbps             *float64 // required: 0 < v ≤ 100 000
	LatencyMs          *float64 // 0 < v ≤ 60 000
	JitterMs           *float64 // 0 ≤ v ≤ 60 000
	Lat, Lon           *float64 // WGS 84 degrees, inside Sweden; or Address
	Address            *string  // resolved against the imported address points; never stored
	Connection         *string  // one of Connections
	SubscribedDownMbps *float64 // what the resident pays for: 0 < v ≤ 100 000
	MeasuredAt         *string  // RFC 3339; default the time of receipt; within the last 30 days
	Source             *string  // ≤ 64 characters: "page", "api" or the test's name
	Operator           *string  // the resident's internet provider, as they name it: folded to a key (FoldOperator)

	whole bool // Decode read the whole object: Validate may look at the rest
}

// Limits of the fields (spec/measurements.md).
const (
	MaxMbps       = 100_000
	MaxLatencyMs  = 60_000
	MaxSourceLen  = 64
	MaxAddressLen = 200
	MaxAge        = 30 * 24 * time.Hour
	// ClockSkew is how far in the future a measured_at may lie: the clocks of
	// phones and of this server never agree to the second.
	ClockSkew = time.Minute
)

// Connections are the connection types a submission may give.
var Connections = []string{"fiber", "cable", "dsl", "fixed_wireless", "mobile", "satellite", "unknown"}

// FieldError is one bad field of a request: {"field": …, "message": …}.
type FieldError struct {
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// InvalidError lists every bad field of a submission; the server answers
// it with 400 and the list.
type InvalidError []FieldError

// Error lists the bad fields with their messages.
func (e InvalidError) Error() string {
	parts := make([]string, len(e))
	for i, f := range e {
		parts[i] = f.Field + ": " + f.Message
	}
	return "measure: invalid submission: " + strings.Join(parts, "; ")
}

// numberFields and textFields name every field a submission may carry.
var (
	numberFields = []string{"down_mbps", "up_mbps", "latency_ms", "jitter_ms", "lat", "lon", "subscribed_down_mbps"}
	textFields   = []string{"address", "connection", "measured_at", "source", "operator"}
)

// Decode reads one JSON object from r. It names every field it cannot use:
// an unknown field, one given twice, one of the wrong type, and anything
// after the object. The values are checked by Validate.
func Decode(r io.Reader) (Submission, error) {
	var sub Submission
	dec := json.NewDecoder(r)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return sub, InvalidError{{Message: "the body must be a JSON object: " + jsonProblem(err)}}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return sub, InvalidError{{Message: "the body must be a JSON object"}}
	}
	var bad InvalidError
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return sub, append(bad, FieldError{Message: "the body is not valid JSON: " + jsonProblem(err)})
		}
		name, _ := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return sub, append(bad, FieldError{Field: name, Message: "not valid JSON: " + jsonProblem(err)})
		}
		if seen[name] {
			bad = append(bad, FieldError{Field: name, Message: "given more than once"})
			continue
		}
		seen[name] = true
		if msg := sub.set(name, raw); msg != "" {
			bad = append(bad, FieldError{Field: name, Message: msg})
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return sub, append(bad, FieldError{Message: "the body is not valid JSON: " + jsonProblem(err)})
	}
	if _, err := dec.Token(); err != io.EOF {
		return sub, append(bad, FieldError{Message: "the body must hold one JSON object and nothing after it"})
	}
	sub.whole = true
	if len(bad) > 0 {
		return sub, bad
	}
	return sub, nil
}

// set decodes one field; it returns what is wrong with it, or "".
func (s *Submission) set(name string, raw json.RawMessage) string {
	if bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var num **float64
	var text **string
	switch name {
	case "down_mbps":
		num = &s.DownMbps
	case "up_mbps":
		num = &s.UpMbps
	case "latency_ms":
		num = &s.LatencyMs
	case "jitter_ms":
		num = &s.JitterMs
	case "lat":
		num = &s.Lat
	case "lon":
		num = &s.Lon
	case "subscribed_down_mbps":
		num = &s.SubscribedDownMbps
	case "address":
		text = &s.Address
	case "connection":
		text = &s.Connection
	case "measured_at":
		text = &s.MeasuredAt
	case "source":
		text = &s.Source
	case "operator":
		text = &s.Operator
	default:
		return "unknown field; the fields are " + strings.Join(numberFields, ", ") + ", " + strings.Join(textFields, ", ")
	}
	if num != nil {
		if c := raw[0]; c != '-' && (c < '0' || c > '9') {
			return "must be a number"
		}
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return "must be a number within the range of a float64"
		}
		*num = &f
		return ""
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return "must be a string"
	}
	*text = &v
	return ""
}

// jsonProblem is the decoder's message without its "json: " prefix.
func jsonProblem(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "it ends too early"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// Parse decodes and validates a submission and names every bad field at
// once: those Decode found (unknown, repeated, of the wrong type) and those
// Validate found in the others. A body that is not one JSON object is named
// alone.
func Parse(r io.Reader, now time.Time, defaultSource string) (Checked, error) {
	sub, err := Decode(r)
	var bad InvalidError
	if err != nil && (!errors.As(err, &bad) || !sub.whole) {
		return Checked{}, err
	}
	c, verr := sub.Validate(now, defaultSource)
	if verr == nil && len(bad) == 0 {
		return c, nil
	}
	named := map[string]bool{}
	for _, f := range bad {
		named[f.Field] = true
	}
	var more InvalidError
	if errors.As(verr, &more) {
		for _, f := range more {
			if !named[f.Field] { // a field of the wrong type is not also "required"
				bad = append(bad, f)
			}
		}
	}
	return Checked{}, bad
}

// Checked is a submission whose fields all passed Validate, with the
// defaults filled in. It still holds the position or the address: Place
// turns it into a Measurement, which holds neither.
type Checked struct {
	DownMbps, UpMbps   float64
	LatencyMs          *float64
	JitterMs           *float64
	Lat, Lon           float64 // when HasPosition
	HasPosition        bool
	Address            string // when !HasPosition
	Connection         string
	SubscribedDownMbps *float64
	MeasuredAt         time.Time
	MeasuredAtGiven    bool // the client gave measured_at; false: the time of receipt
	Source             string
	Operator           string // a key of Operators; "" when not given
}

// Validate checks every field against spec/measurements.md and names every
// one that fails, as an InvalidError. now is the time of receipt: the
// default measured_at, and the reference for "not in the future, not older
// than 30 days". Whether a position lies inside Sweden is checked by Place,
// which knows the boundaries.
func (s Submission) Validate(now time.Time, defaultSource string) (Checked, error) {
	var c Checked
	var bad InvalidError
	fail := func(field, format string, args ...any) {
		bad = append(bad, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	speed := func(field string, v *float64) float64 {
		switch {
		case v == nil:
			fail(field, "required: a speed in Mbit/s")
		case *v <= 0 || *v > MaxMbps:
			fail(field, "must be more than 0 and at most %d Mbit/s", MaxMbps)
		default:
			return *v
		}
		return 0
	}
	c.DownMbps = speed("down_mbps", s.DownMbps)
	c.UpMbps = speed("up_mbps", s.UpMbps)
	if v := s.LatencyMs; v != nil && (*v <= 0 || *v > MaxLatencyMs) {
		fail("latency_ms", "must be more than 0 and at most %d ms", MaxLatencyMs)
	}
	c.LatencyMs = s.LatencyMs
	if v := s.JitterMs; v != nil && (*v < 0 || *v > MaxLatencyMs) {
		fail("jitter_ms", "must be at least 0 and at most %d ms", MaxLatencyMs)
	}
	c.JitterMs = s.JitterMs
	if v := s.SubscribedDownMbps; v != nil && (*v <= 0 || *v > MaxMbps) {
		fail("subscribed_down_mbps", "must be more than 0 and at most %d Mbit/s", MaxMbps)
	}
	c.SubscribedDownMbps = s.SubscribedDownMbps

	s.validatePlace(&c, fail)

	c.Connection = "unknown"
	if s.Connection != nil {
		if !isConnection(*s.Connection) {
			fail("connection", "must be one of %s", strings.Join(Connections, ", "))
		}
		c.Connection = *s.Connection
	}

	c.MeasuredAt = now
	if s.MeasuredAt != nil {
		t, err := time.Parse(time.RFC3339Nano, *s.MeasuredAt)
		switch {
		case err != nil:
			fail("measured_at", "must be an RFC 3339 time such as 2026-11-23T18:05:00+01:00")
		case t.After(now.Add(ClockSkew)):
			fail("measured_at", "must not be in the future")
		case t.Before(now.Add(-MaxAge)):
			fail("measured_at", "must not be older than 30 days")
		default:
			c.MeasuredAt, c.MeasuredAtGiven = t, true
		}
	}

	c.Source = defaultSource
	if s.Source != nil {
		v := *s.Source
		switch {
		case !utf8.ValidString(v) || strings.TrimSpace(v) == "":
			fail("source", "must be a name such as page, api or the test used")
		case utf8.RuneCountInString(v) > MaxSourceLen:
			fail("source", "must be at most %d characters", MaxSourceLen)
		case strings.IndexFunc(v, unicode.IsControl) >= 0:
			fail("source", "must not hold control characters")
		default:
			c.Source = v
		}
	}
	if s.Operator != nil {
		if msg := validOperator(*s.Operator); msg != "" {
			fail("operator", "%s", msg)
		} else {
			c.Operator = FoldOperator(*s.Operator)
		}
	}
	if len(bad) > 0 {
		return Checked{}, bad
	}
	return c, nil
}

// validatePlace checks that exactly one of a position and an address is
// given, and that it is well formed.
func (s Submission) validatePlace(c *Checked, fail func(field, format string, args ...any)) {
	hasPos := s.Lat != nil || s.Lon != nil
	switch {
	case hasPos && s.Address != nil:
		fail("address", "give either a position (lat and lon) or an address, not both")
		return
	case !hasPos && s.Address == nil:
		fail("lat", "required unless an address is given")
		fail("lon", "required unless an address is given")
		return
	case s.Address != nil:
		a := strings.TrimSpace(*s.Address)
		switch {
		case a == "" || !utf8.ValidString(a):
			fail("address", "must be a street address such as Storgatan 1, 392 31 Kalmar")
		case strings.IndexFunc(a, unicode.IsControl) >= 0:
			fail("address", "must not hold control characters (such as NUL or a line break)")
		case utf8.RuneCountInString(a) > MaxAddressLen:
			fail("address", "must be at most %d characters", MaxAddressLen)
		default:
			c.Address = a
		}
		return
	}
	ok := true
	if s.Lat == nil {
		fail("lat", "required with lon")
		ok = false
	} else if *s.Lat < -90 || *s.Lat > 90 {
		fail("lat", "must be a latitude in degrees (WGS 84)")
		ok = false
	}
	if s.Lon == nil {
		fail("lon", "required with lat")
		ok = false
	} else if *s.Lon < -180 || *s.Lon > 180 {
		fail("lon", "must be a longitude in degrees (WGS 84)")
		ok = false
	}
	if ok {
		c.Lat, c.Lon, c.HasPosition = *s.Lat, *s.Lon, true
	}
}

func isConnection(v string) bool {
	for _, c := range Connections {
		if v == c {
			return true
		}
	}
	return false
}
