package coverage

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Stockholm on a machine without a zoneinfo database
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

// ParseDate reads a calendar day written YYYY-MM-DD. Its error says what is
// wrong in words a user understands: a day that does not exist
// ("2013-02-30: February 2013 has 28 days") is told apart from text that is
// no date at all.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err == nil {
		return t, nil
	}
	var y, m, d int
	if n, _ := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); n == 3 && len(s) == 10 {
		switch {
		case m < 1 || m > 12:
			return time.Time{}, &DateError{Value: s, Reason: fmt.Sprintf("there is no month %d", m)}
		case d < 1 || d > daysIn(y, time.Month(m)):
			return time.Time{}, &DateError{Value: s, Reason: fmt.Sprintf("no such day: %s %d has %d days",
				time.Month(m), y, daysIn(y, time.Month(m)))}
		}
	}
	return time.Time{}, &DateError{Value: s, Reason: "want a date as YYYY-MM-DD, such as 2024-10-01"}
}

// DateError is a date that could not be read.
type DateError struct {
	Value  string
	Reason string
}

func (e *DateError) Error() string { return fmt.Sprintf("%q: %s", e.Value, e.Reason) }

// daysIn is the number of days of the month.
func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Today is the calendar day it is now in Sweden, as a date at midnight UTC
// (how snapshot dates are kept).
func Today(now time.Time) time.Time {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// FutureDateError refuses a snapshot dated after today: a survey is taken as
// of a day that has passed, and a snapshot from the future would become the
// map's default year.
type FutureDateError struct {
	AsOf, Today time.Time
}

func (e *FutureDateError) Error() string {
	return fmt.Sprintf("coverage: as of %s is in the future (today is %s): a snapshot is taken as of a day that has passed",
		e.AsOf.Format(time.DateOnly), e.Today.Format(time.DateOnly))
}
