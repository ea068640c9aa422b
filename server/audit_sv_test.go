package server_test

import (
	"context"
	"html"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/projects"
)

// englishInDetails are words and phrases of the details the code writes in
// English (auth.Entry.Detail), none of which a Swedish detail holds.
var englishInDetails = []string{"address points", "warnings", "errors", "squares of", "operators", "token ", "snapshot",
	"replaced", "cost model", "project register", "projects", "mobile coverage", "from ", "tile ", "feature", "incomplete",
	"ogc ", "coordinator", "municipality"}

// Every action the app writes to the audit log, recorded through the code
// that writes it (imports of each kind, refused or not, replaced;
// deletions; gap reports by the API and OGC; address points by OGC and
// the map's tiles; the cost model; tokens), and the administration page
// shows each detail in Swedish, never the English the CLI prints.
func TestTheAuditLogSpeaksSwedish(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t) // imports gaps.csv; creates and revokes tokens
	ctx := context.Background()
	who := auth.Entry{Actor: "test"}
	cov := coverage.NewStore(fx.pool)
	asOf := time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)
	reimport := func(name string) {
		f, err := os.Open("../coverage/testdata/gaps.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := cov.Import(ctx, f, coverage.ImportOptions{Audit: who, AsOf: asOf, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	reimport("gaps igen.csv") // replaces the snapshot of that date
	if _, err := cov.Import(ctx, strings.NewReader("no;such\ncolumns;here\n"), coverage.ImportOptions{Audit: who, AsOf: asOf, Name: "fel.csv"}); err == nil {
		t.Fatal("a file without the columns was imported")
	}
	if _, err := cov.Import(ctx, strings.NewReader("\x1f\x8b\x08\x00\x00\x00"), coverage.ImportOptions{Audit: who, AsOf: asOf, Name: "trasig.csv.gz"}); err == nil {
		t.Fatal("a gzip cut short was imported")
	}
	if _, err := cov.Import(ctx, strings.NewReader(measureCoverage), coverage.ImportOptions{Audit: who, AsOf: asOf.AddDate(-1, 0, 0), Name: "gammal.csv"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cov.DeleteSnapshot(ctx, asOf.AddDate(-1, 0, 0), who); err != nil {
		t.Fatal(err)
	}

	mob := mobile.NewStore(fx.pool, cov)
	m, err := os.Open("../mobile/testdata/mobile250.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := mob.Import(ctx, m, mobile.ImportOptions{AsOf: asOf, Name: "mobil.csv", Audit: who}); err != nil {
		t.Fatal(err)
	}
	if _, err := mob.Import(ctx, strings.NewReader("x;y\n1;2\n"), mobile.ImportOptions{AsOf: asOf, Name: "mobilfel.csv", Audit: who}); err == nil {
		t.Fatal("a bad mobile file was imported")
	}
	if _, err := mob.DeleteSnapshot(ctx, asOf, who); err != nil {
		t.Fatal(err)
	}

	proj := projects.NewStore(fx.pool, cov, nil)
	if _, err := proj.Import(ctx, strings.NewReader(projectsFile), projects.ImportOptions{Name: "projekt.geojson", Audit: who}); err != nil {
		t.Fatal(err)
	}
	if _, err := proj.Import(ctx, strings.NewReader(`{"type":"FeatureCollection","features":[{"type":"Feature"}]}`), projects.ImportOptions{Name: "projektfel.geojson", Audit: who}); err == nil {
		t.Fatal("a bad register was imported")
	}
	if _, err := proj.SetCost(ctx, projects.KeyTrenchRural, 350.5, false, who); err != nil {
		t.Fatal(err)
	}

	a := auth.NewStore(fx.pool)
	for _, nt := range []auth.NewToken{{Name: "Kalmar kommun", Role: auth.Municipality, Municipalities: []string{"0880", "0881"}, By: who},
		{Name: `Regionens "nya"`, Role: auth.Coordinator, By: who}} {
		_, tok, err := a.CreateToken(ctx, nt)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.RevokeBy(ctx, tok.ID, who); err != nil {
			t.Fatal(err)
		}
	}
	for _, path := range []string{"/api/v1/municipalities/0880/gaps?format=csv&level=address", "/ogc/collections/gaps/items",
		"/ogc/collections/addresses/items?limit=3", "/ogc/collections/addresses/items/2024-10-01.G2", "/tiles/addresses/14/8935/5046.mvt"} {
		if resp, body := fx.do(t, route{method: "GET", path: path}, m0880); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
	}

	resp, body := fx.do(t, route{method: "GET", path: "/administration", page: true}, coordinator)
	if resp.StatusCode != 200 {
		t.Fatalf("/administration: %d", resp.StatusCode)
	}
	page := string(body)
	start := strings.Index(page, `id="loggtabell"`)
	if start < 0 {
		t.Fatalf("no audit log on the page:\n%s", page)
	}
	rows := regexp.MustCompile(`(?s)<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>.*?<td( lang="en")?>([^<]*)</td></tr>`).
		FindAllStringSubmatch(page[start:], -1)
	actionsSeen := map[string]bool{}
	for _, r := range rows {
		action, detail := html.UnescapeString(r[3]), html.UnescapeString(r[5])
		actionsSeen[action] = true
		if r[4] != "" {
			t.Errorf("%s: the detail %q is shown in English", action, detail)
		}
		for _, w := range englishInDetails {
			if strings.Contains(detail, w) {
				t.Errorf("%s: the detail %q holds %q", action, detail, w)
			}
		}
		t.Logf("%-22s %s", action, detail)
	}
	// Each action of the log was recorded, and shown.
	for _, sv := range []string{"Import", "Import avvisad", "Läge raderat", "Gaprapport nedladdad", "Adresspunkter lästa",
		"Kostnadsmodell ändrad", "Token skapad", "Token återkallad"} {
		if !actionsSeen[sv] {
			t.Errorf("no %q in the log: %v", sv, actionsSeen)
		}
	}
	for _, want := range []string{"ersatte läget från samma datum", "inget importerades", "Mobiltäckning mobil.csv", "Projektregistret version",
		"Kostnadsmodellen, grävning per meter på landsbygden: 300 → 350,5 kr/m", "OGC API, samlingen addresses, objektet 2024-10-01.G2",
		"Kartruta 14/8935/5046", "”Kalmar kommun”, kommun 0880, 0881", "”Regionens \"nya\"”, samordnare", "Täckningsläge från gammal.csv", "Mobilläge från mobil.csv"} {
		if !slices.ContainsFunc(rows, func(r []string) bool { return strings.Contains(html.UnescapeString(r[5]), want) }) {
			t.Errorf("no detail holds %q", want)
		}
	}
}
