package coverage

import (
	"fmt"
	"time"
)

// Date is a calendar day that marshals as "2024-10-01".
type Date time.Time

// MarshalJSON writes the date as YYYY-MM-DD.
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(d).Format(time.DateOnly) + `"`), nil
}

// UnmarshalJSON reads a YYYY-MM-DD date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("date %s: want \"YYYY-MM-DD\"", b)
	}
	t, err := time.Parse(time.DateOnly, string(b[1:len(b)-1]))
	if err != nil {
		return fmt.Errorf("date %s: want \"YYYY-MM-DD\"", b)
	}
	*d = Date(t)
	return nil
}

// String returns YYYY-MM-DD.
func (d Date) String() string { return time.Time(d).Format(time.DateOnly) }
