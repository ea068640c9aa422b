package sheet_test

import (
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/sheet"
)

func TestTableAlignsColumns(t *testing.T) {
	tb := sheet.Table{Right: []bool{false, false, true}}
	tb.Add("area", "target", "share")
	tb.Add("0880 Kalmar kommun", "households 31 250") // a heading runs on
	tb.Add("", "se-2025-1g", "83,5 %")
	tb.Add("", "kalmar-2025-1g", "–")
	var b strings.Builder
	n, err := tb.WriteTo(&b)
	if err != nil {
		t.Fatal(err)
	}
	want := "" +
		"area  target           share\n" +
		"0880 Kalmar kommun  households 31 250\n" +
		"      se-2025-1g      83,5 %\n" +
		"      kalmar-2025-1g       –\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if n != int64(len(want)) {
		t.Errorf("WriteTo says %d bytes, wrote %d", n, len(want))
	}
}
