package measure

import "cmp"

// The one rule against subtraction, shared by the figures by group
// (publishGroups) and the figures by area (decideAreas): a published figure
// (a whole) less the published figures of its parts must leave 0 or at
// least MinPublished measurements. Where it leaves 1 to MinPublished-1, the
// smallest published part is withheld too, and the wholes are checked
// again until none fails. Withholding only makes a rest larger, so this
// ends, and a rest once satisfied stays satisfied.

// part is a figure that is one part of a whole.
type part struct {
	published *bool  // whether the figure is published; the rule may set it false
	count     int64  // the figure's own count: the smallest is withheld first
	n         int64  // what it holds of the whole (less than count for a square on a border)
	key       string // ties between parts of one count
	unless    *bool  // a part of the whole only while *unless is false (what covers it is withheld); nil: always
}

// whole is what the parts are subtracted from.
type whole struct {
	total int64
	parts []part
	when  *bool // the rule holds only while *when (the whole is published); nil: always
}

// closeRests withholds parts until what every whole's published parts
// leave of it is 0 or at least MinPublished.
func closeRests(wholes []whole) {
	for changed := true; changed; {
		changed = false
		for _, w := range wholes {
			for (w.when == nil || *w.when) && closeRest(w) {
				changed = true
			}
		}
	}
}

// closeRest withholds the smallest published part of w when what the
// published parts leave of it is 1 to MinPublished-1, and says whether it did.
func closeRest(w whole) bool {
	rest := w.total
	var smallest *part
	for i := range w.parts {
		p := &w.parts[i]
		if *p.published && (p.unless == nil || !*p.unless) {
			rest -= p.n
			if smallest == nil || cmp.Or(cmp.Compare(p.count, smallest.count), cmp.Compare(p.key, smallest.key)) < 0 {
				smallest = p
			}
		}
	}
	if rest == 0 || rest >= MinPublished || smallest == nil {
		return false
	}
	*smallest.published = false
	return true
}
