package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// NUL and other control characters in a query parameter or the path are
// refused with 400 naming the parameter, on every kind of route: none
// reaches a handler or the database (PostgreSQL refuses NUL in text, which
// was a 500).
func TestControlCharactersAreRefusedByName(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	for _, tt := range []struct{ path, field string }{
		{"/api/v1/addresses?q=a%00b", "q"},
		{"/api/v1/addresses?q=Storgatan%0A1", "q"},
		{"/api/v1/addresses?q=%C2%85Storgatan", "q"}, // C1: NEXT LINE
		{"/api/v1/addresses?q=%FF%FE", "q"},          // not UTF-8
		{"/api/v1/targets?as_of=2024-10-01%00", "as_of"},
		{"/api/v1/municipalities/0880/gaps?format=csv&target=se%00", "target"},
		{"/api/v1/measurements/summary?area=municipality:0880&period=all%7F", "period"},
		{"/ogc/collections/addresses/items?limit=10&bbox=1,2,3,4%00", "bbox"},
		{"/ogc/collections/addresses/items/2024-10-01.G2%00", "path"},
		{"/api/v1/municipalities/08%0080", "path"},
		{"/tiles/squares/12/2254/1285.mvt?as_of=%00", "as_of"},
		{"/api/v1/snapshots?a%00b=1", "query"},
	} {
		req, _ := http.NewRequest(http.MethodGet, fx.url+tt.path, nil)
		req.Header.Set("Authorization", "Bearer "+fx.callers[coordinator].bearer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		var reply struct {
			Errors []struct{ Field, Message string }
		}
		_ = json.Unmarshal(body, &reply)
		if resp.StatusCode != http.StatusBadRequest || len(reply.Errors) != 1 || reply.Errors[0].Field != tt.field {
			t.Errorf("%s: %d %s, want 400 naming %s", tt.path, resp.StatusCode, body, tt.field)
		}
	}
}
