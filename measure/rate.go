package measure

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is how many submissions one client may make per period. NoLimit
// limits nothing (for load tests only); the zero Rate stands for the
// default where a caller gives none.
type Rate struct {
	N   int
	Per time.Duration
}

// NoLimit is the rate "off".
var NoLimit = Rate{N: -1}

// DefaultRate is 10 submissions a minute per client: more than a resident
// measuring again and again, less than a script flooding the figures.
var DefaultRate = Rate{N: 10, Per: time.Minute}

// Off reports whether the rate limits nothing.
func (r Rate) Off() bool { return r.N < 0 }

// String is the rate as ParseRate reads it: "10/min", or "off".
func (r Rate) String() string {
	if r.Off() {
		return "off"
	}
	for unit, d := range map[string]time.Duration{"s": time.Second, "min": time.Minute, "h": time.Hour} {
		if r.Per == d {
			return fmt.Sprintf("%d/%s", r.N, unit)
		}
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

// ParseRate reads a rate such as "10/min", "100/h", "5/s" or "3/10m" (any
// Go duration after the slash), or "off".
func ParseRate(s string) (Rate, error) {
	if s == "off" || s == "0" {
		return NoLimit, nil
	}
	n, per, ok := strings.Cut(s, "/")
	count, err := strconv.Atoi(n)
	if !ok || err != nil || count <= 0 {
		return Rate{}, fmt.Errorf("rate %q: want a count per period such as 10/min, or off", s)
	}
	var d time.Duration
	switch per {
	case "s":
		d = time.Second
	case "min", "m":
		d = time.Minute
	case "h":
		d = time.Hour
	default:
		if d, err = time.ParseDuration(per); err != nil || d < time.Second {
			return Rate{}, fmt.Errorf("rate %q: want a period of s, min, h or a duration of at least 1s", s)
		}
	}
	return Rate{N: count, Per: d}, nil
}
