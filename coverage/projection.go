package coverage

import (
	"fmt"
	"math"
	"time"
)

// sample is a share at a date.
type sample struct {
	at    time.Time
	share float64
}

// projectionSnapshots is how many of the latest snapshots the line goes
// through: enough to smooth one odd year, few enough to follow a change of pace.
const projectionSnapshots = 3

// project fits a straight line (least squares) through the last snapshots'
// shares and carries it to the end of the target's year. Nil with fewer than
// two snapshots, and for a target whose year ended before the last snapshot:
// its outcome is in the history, and a line drawn backwards says nothing.
func project(t Target, series []sample) *Projection {
	if len(series) > projectionSnapshots {
		series = series[len(series)-projectionSnapshots:]
	}
	if len(series) < 2 {
		return nil
	}
	if due := time.Date(t.Year, 12, 31, 0, 0, 0, 0, time.UTC); due.Before(series[len(series)-1].at) {
		return nil
	}
	years := func(d time.Time) float64 {
		return float64(d.Year()) + float64(d.YearDay()-1)/365.2425
	}
	var sx, sy, sxx, sxy float64
	n := float64(len(series))
	for _, s := range series {
		x := years(s.at)
		sx += x
		sy += s.share
		sxx += x * x
		sxy += x * s.share
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return nil
	}
	slope := (n*sxy - sx*sy) / den
	icept := (sy - slope*sx) / n
	due := time.Date(t.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	at := slope*years(due) + icept
	threshold := t.Threshold()
	p := &Projection{
		Label:   fmt.Sprintf("projection: a straight line through the last %d snapshots, carried to the end of %d", len(series), t.Year),
		PerYear: slope,
		At:      Date(due),
		Share:   math.Max(0, math.Min(1, at)),
		// decided on the line itself, not on the clamped share shown
		OnCourse: at >= threshold,
	}
	for _, s := range series {
		p.From = append(p.From, Date(s.at))
	}
	last := series[len(series)-1]
	switch {
	case last.share >= threshold:
		y := last.at.Year()
		p.ReachesYear = &y
	case slope > 0:
		// the year the line crosses the threshold, at the end of which it holds
		x := (threshold - icept) / slope
		y := int(math.Floor(x))
		if years(time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)) < x {
			y++
		}
		p.ReachesYear = &y
	}
	return p
}
