package measure_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// The operator is stored as its key: as typed it is nowhere in the row; an
// unknown provider is "annan"; none is NULL. A retry with the same
// Idempotency-Key gets the first answer and stores nothing new.
func TestTheOperatorIsStoredAsItsKey(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	ctx := context.Background()
	pos := `"down_mbps": 95, "up_mbps": 12, "lat": 56.6632, "lon": 16.3615`
	for _, tt := range []struct{ body, key, source string }{
		{`{` + pos + `, "operator": "TELIA Sverige AB", "source": "a"}`, "key-a", "a"},
		{`{` + pos + `, "operator": "TELIA Sverige AB", "source": "a"}`, "key-a", "a"}, // the retry
		{`{` + pos + `, "operator": "Kalles Fiber i Byn", "source": "b"}`, "", "b"},
		{`{` + pos + `, "source": "c"}`, "", "c"},
	} {
		m := place(t, st, tt.body)
		if _, err := st.Submit(ctx, m, tt.key); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := pool.Query(ctx, `SELECT source, coalesce(operator, 'NULL'), m::text FROM measurements m ORDER BY source`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var source, op, whole string
		if err := rows.Scan(&source, &op, &whole); err != nil {
			t.Fatal(err)
		}
		got = append(got, source+":"+op)
		for _, typed := range []string{"TELIA", "Sverige", "Kalles", "Byn"} {
			if strings.Contains(whole, typed) {
				t.Errorf("the row %s holds %q as typed", whole, typed)
			}
		}
	}
	if want := []string{"a:telia", "b:annan", "c:NULL"}; !slices.Equal(got, want) {
		t.Errorf("stored %v, want %v", got, want)
	}
}

// opSample is one measurement of the operator fixtures, as the test knows it.
type opSample struct {
	muni, op string // op "" = not named
	down     float64
}

// handOperatorFixture, each rule by a case (the counts are measurements):
//   - Kalmar (0880): Telia 6, Bahnhof 4. Telia alone would leave 4 for
//     Bahnhof to be told by subtraction from Kalmar's total (10): neither
//     is shown.
//   - Nybro (0881): Telia 7, Tele2 5, none named 5: both shown (rest 5).
//   - Kalmar län (08): Telia 13, Tele2 5 shown (rest 9 = Bahnhof 4 and 5
//     not named); Bahnhof (4) never.
//   - Jönköping (0680): Ownit 8, none named 5; Värnamo (0683): Ownit 3,
//     none named 6. Jönköpings län (06): Ownit 11. Jönköping's Ownit (8)
//     passes rule 1 (rest 5), but 11 − 8 would tell Värnamo's 3: so the
//     county's Ownit is shown and Jönköping's is not.
var handOperatorFixture = func() []opSample {
	var out []opSample
	add := func(muni, op string, n int, lo float64) {
		for i := range n {
			out = append(out, opSample{muni, op, lo + float64(i*i)*3.5})
		}
	}
	add("0880", "telia", 6, 40)
	add("0880", "bahnhof", 4, 300)
	add("0881", "telia", 7, 90)
	add("0881", "tele2", 5, 200)
	add("0881", "", 5, 20)
	add("0680", "ownit", 8, 500)
	add("0680", "", 5, 60)
	add("0683", "ownit", 3, 250)
	add("0683", "", 6, 35)
	return out
}()

func loadOpSamples(t *testing.T, st *measure.Store, samples []opSample) {
	t.Helper()
	var ms []measure.Measurement
	at := time.Now().Add(-48 * time.Hour)
	for i, s := range samples {
		muni, ok := measure.MunicipalityByCode(s.muni)
		if !ok {
			t.Fatalf("no municipality %s", s.muni)
		}
		ms = append(ms, measure.Measurement{MeasuredAt: at, Square: geo.Square{E: 500000 + int64(i%7)*250, N: 6300000, Size: 250},
			Municipality: muni, DownMbps: s.down, UpMbps: s.down / 10, Connection: "fiber", Operator: s.op, Source: "test"})
	}
	if _, err := st.Load(context.Background(), ms); err != nil {
		t.Fatal(err)
	}
}

// checkPublished holds what ByOperator published against the samples,
// computed here: each figure's count and median; at least 5 behind each;
// in every area, what is not shown is 0 or at least 5; and for every
// operator shown for a county, what its municipalities do not show of it
// is 0 or at least 5. It returns the published groups as "area/op count".
func checkPublished(t *testing.T, samples []opSample, got []measure.OperatorFigures) []string {
	t.Helper()
	in := func(kind, code string, s opSample) bool {
		return kind == measure.KindCounty && s.muni[:2] == code || kind == measure.KindMunicipality && s.muni == code
	}
	shown := map[string]int64{} // "kind:code" → measurements shown
	var out []string
	for _, g := range got {
		var down []float64
		for _, s := range samples {
			if in(g.Kind, g.Code, s) && s.op == g.Operator {
				down = append(down, s.down)
			}
		}
		if int64(len(down)) != g.Figures.Count || len(down) < measure.MinPublished {
			t.Errorf("%s %s %s: count %d, the samples hold %d", g.Kind, g.Code, g.Operator, g.Figures.Count, len(down))
			continue
		}
		if want := percentile(down, 0.5); math.Abs(g.Figures.DownMbps.Median-want) > 1e-9 {
			t.Errorf("%s %s %s: median %v, want %v", g.Kind, g.Code, g.Operator, g.Figures.DownMbps.Median, want)
		}
		if g.OperatorName != measure.OperatorName(g.Operator) || g.Operator == "" {
			t.Errorf("%s %s: operator %q named %q", g.Kind, g.Code, g.Operator, g.OperatorName)
		}
		shown[g.Kind+":"+g.Code] += g.Figures.Count
		out = append(out, fmt.Sprintf("%s:%s/%s %d", g.Kind, g.Code, g.Operator, g.Figures.Count))
	}
	// Rule 1: each area's rest.
	totals := map[string]int64{}
	for _, s := range samples {
		totals["municipality:"+s.muni]++
		totals["county:"+s.muni[:2]]++
	}
	for area, total := range totals {
		if rest := total - shown[area]; rest > 0 && rest < measure.MinPublished {
			t.Errorf("%s: %d measurements, %d shown by operator: the rest, %d, is told by subtraction", area, total, shown[area], rest)
		}
	}
	// Rule 2: each county's operator against its municipalities'.
	for _, c := range got {
		if c.Kind != measure.KindCounty {
			continue
		}
		var municipal int64
		for _, m := range got {
			if m.Kind == measure.KindMunicipality && m.Code[:2] == c.Code && m.Operator == c.Operator {
				municipal += m.Figures.Count
			}
		}
		if rest := c.Figures.Count - municipal; rest > 0 && rest < measure.MinPublished {
			t.Errorf("county %s %s: %d, its municipalities show %d: %d told by subtraction", c.Code, c.Operator, c.Figures.Count, municipal, rest)
		}
	}
	slices.Sort(out)
	return out
}

func TestFiguresByOperator(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	ctx := context.Background()
	loadOpSamples(t, st, handOperatorFixture)
	all, _ := measure.ParsePeriod("all")
	got, err := st.ByOperator(ctx, all, measure.Area{})
	if err != nil {
		t.Fatal(err)
	}
	published := checkPublished(t, handOperatorFixture, got)
	want := []string{"county:06/ownit 11", "county:08/tele2 5", "county:08/telia 13", "municipality:0881/tele2 5", "municipality:0881/telia 7"}
	if !slices.Equal(published, want) {
		t.Errorf("published %v, want %v", published, want)
	}
	// Within a county or a municipality: the same figures as in the whole.
	for _, within := range []string{"county:08", "municipality:0881", "municipality:0680", "county:06"} {
		a, _ := measure.ParseArea(within)
		part, err := st.ByOperator(ctx, all, a)
		if err != nil {
			t.Fatal(err)
		}
		var wantPart []measure.OperatorFigures
		for _, g := range got {
			if a.Kind == measure.KindCounty && g.Code[:2] == a.Code || a.Kind == measure.KindMunicipality && g.Kind == a.Kind && g.Code == a.Code {
				wantPart = append(wantPart, g)
			}
		}
		if fmt.Sprint(part) != fmt.Sprint(wantPart) {
			t.Errorf("within %s: %v, want %v", within, part, wantPart)
		}
	}
	// The connection types follow the same rule: Kalmar's 10 are all fibre
	// here, so they are shown; the fixture's counties too.
	byConn, err := st.ByConnection(ctx, all, measure.Area{})
	if err != nil {
		t.Fatal(err)
	}
	if len(byConn) != 6 {
		t.Errorf("by connection: %v, want 2 counties and 4 municipalities, all fibre", byConn)
	}
}

// On random fixtures, whatever is published holds the rules.
func TestFiguresByOperatorKeepTheRulesOnRandomData(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	st := measure.NewStore(pool)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20, 3))
	munis := []string{"0880", "0881", "0882", "0680", "0683"}
	ops := []string{"", "telia", "tele2", "bahnhof", "ownit", "annan"}
	var samples []opSample
	for range 400 {
		// Skewed, so that groups of every size occur.
		m, o := munis[int(math.Pow(rng.Float64(), 2)*float64(len(munis)))], ops[int(math.Pow(rng.Float64(), 2)*float64(len(ops)))]
		samples = append(samples, opSample{m, o, 5 + rng.Float64()*900})
	}
	loadOpSamples(t, st, samples)
	all, _ := measure.ParsePeriod("all")
	got, err := st.ByOperator(ctx, all, measure.Area{})
	if err != nil {
		t.Fatal(err)
	}
	if published := checkPublished(t, samples, got); len(published) < 5 {
		t.Errorf("only %v published: the fixture proves little", published)
	}
}
