package ogc_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/server"
)

// These tests open the endpoint as a GIS user does, with GDAL's ogrinfo
// (Debian's gdal-bin, installed by scripts/gis-tools.sh, which make test
// runs), against gigakoll serving testdata/gaps.csv on 127.0.0.1:0.

func serve(t *testing.T) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Fatal("ogrinfo is not installed: run scripts/gis-tools.sh (make test does)")
	}
	ctx := context.Background()
	pool := dbtest.New(t)
	f, err := os.Open("../coverage/testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := coverage.NewStore(pool).Import(ctx, f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "gaps.csv"}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.NewStore(pool).CreateToken(ctx, auth.NewToken{Name: "Kalmar kommun", Role: auth.Municipality, Municipalities: []string{"0880"}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h) // 127.0.0.1:0
	t.Cleanup(ts.Close)
	return ts.URL + "/ogc", secret
}

// ogrinfo runs ogrinfo with args and returns its output and error.
func ogrinfo(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ogrinfo", append([]string{"-ro", "--config", "GDAL_HTTP_TIMEOUT", "60"}, args...)...)
	cmd.Env = append(os.Environ(), "GDAL_HTTP_PROXY=", "HTTP_PROXY=", "http_proxy=", "NO_PROXY=127.0.0.1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// values lists the values of one field in ogrinfo's feature dump.
func values(out, field string) []string {
	re := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(field) + ` \([A-Za-z0-9]+\) = (.*)$`)
	var v []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		v = append(v, strings.TrimSpace(m[1]))
	}
	return v
}

func TestOgrinfoListsThePublicCollections(t *testing.T) {
	t.Parallel()
	base, _ := serve(t)
	out, err := ogrinfo(t, "OAPIF:"+base)
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"municipalities (title: Kommuner) (Polygon)", "squares (title: Rutor 250 m) (Multi Polygon)"} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "gaps") || strings.Contains(out, "addresses") {
		t.Errorf("the public sees the address-level collections:\n%s", out)
	}
}

func TestOgrinfoReadsSquaresWithABBox(t *testing.T) {
	t.Parallel()
	base, _ := serve(t)
	// Around Kalmar (16.3–16.4° E, 56.6–56.7° N): of the fixture's squares
	// with at least 5 households, only the one at E 582000, N 6282000 (G1,
	// G2, G3, G9 and G10: 48 households) lies there; Nybro's lie 1.5° west.
	out, err := ogrinfo(t, "OAPIF:"+base, "squares", "-spat", "16.3", "56.6", "16.4", "56.7")
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	if got := values(out, "e"); !slices.Equal(got, []string{"582000"}) {
		t.Errorf("squares in the box: e = %v, want [582000]\n%s", got, out)
	}
	if got := values(out, "households"); !slices.Equal(got, []string{"48"}) {
		t.Errorf("households = %v, want [48]", got)
	}
	// Without the box: that square and G8's (6 households of 0880, in the
	// square it shares with Nybro's N1). Nybro's own: N2's square holds 3
	// households and is left out, so N1's (10) must be too, or Nybro's
	// total (13) minus it would tell N2's 3 households' figures.
	out, err = ogrinfo(t, "-q", "OAPIF:"+base, "squares")
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	got := values(out, "households")
	slices.Sort(got)
	if !slices.Equal(got, []string{"48", "6"}) {
		t.Errorf("every square: households %v, want 48 and 6", got)
	}
}

func TestOgrinfoWithAMunicipalityTokenReadsItsGapsOnly(t *testing.T) {
	t.Parallel()
	base, token := serve(t)
	header := []string{"--config", "GDAL_HTTP_HEADERS", "Authorization: Bearer " + token}
	out, err := ogrinfo(t, append(header, "OAPIF:"+base)...)
	if err != nil || !strings.Contains(out, "gaps (title: ") || !strings.Contains(out, "addresses (title: ") {
		t.Fatalf("with a token ogrinfo should list gaps and addresses: %v\n%s", err, out)
	}
	// A page size of 2 makes GDAL follow the next links through all pages.
	out, err = ogrinfo(t, append(header, "-q", "-oo", "PAGE_SIZE=2", "OAPIF:"+base, "gaps")...)
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	ids := values(out, "address_id")
	slices.Sort(ids)
	// testdata/gaps.csv: every 0880 point but G1 lacks 1 Gbit/s; Nybro's N2
	// lacks it too but is another municipality's.
	want := []string{"G10", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9"}
	if !slices.Equal(ids, want) {
		t.Errorf("gaps read with 0880's token: %v, want %v", ids, want)
	}
	for _, m := range values(out, "municipality_code") {
		if m != "0880" {
			t.Errorf("a feature of municipality %s reached 0880's token", m)
		}
	}
	if strings.Contains(out, "Nybro Energi") || strings.Contains(out, "= N2") {
		t.Errorf("Nybro's address points reached 0880's token:\n%s", out)
	}

	// Without the token the collection is refused.
	out, err = ogrinfo(t, "-q", "OAPIF:"+base+"/collections/gaps")
	if err == nil && strings.Contains(out, "address_id") {
		t.Errorf("ogrinfo read gaps without a token:\n%s", out)
	}
}
