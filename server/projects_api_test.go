package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/auth"
)

// A register of one project around K1 of the coverage fixture (Storgatan 1
// in Kalmar, 120 households), as a coordinator uploads it.
const projectsFile = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P-0880-001","name":"Fiber Storgatan","status":"completed","completion_year":2022,"cost_sek":1200000,"funding":[{"source":"regional","programme":"R","amount_sek":600000}]},"geometry":{"type":"Polygon","coordinates":[[[16.33,56.64],[16.40,56.64],[16.40,56.69],[16.33,56.69],[16.33,56.64]]]}}]}`

func TestProjectsAPIAndUploadMatchTheOpenAPIDocument(t *testing.T) {
	t.Parallel()
	pool := coverageFixture(t)
	ts, _ := mapServer(t, pool)
	c := loadContract(t, ts.URL)
	// no register yet: 404, documented
	if resp, _ := c.check(t, ts.URL, "/api/v1/projects"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("no register: %d, want 404", resp.StatusCode)
	}
	// the upload page's form, with a coordinator's token: kind projects, no date
	secret, _, err := auth.NewStore(pool).CreateToken(context.Background(), auth.NewToken{Name: "Samordnaren", Role: auth.Coordinator})
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", "projects")
	fw, _ := mw.CreateFormFile("file", "projekt.geojson")
	fw.Write([]byte(projectsFile))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/uppladdning", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var up struct {
		OK       bool   `json:"ok"`
		Kind     string `json:"kind"`
		Version  int    `json:"version"`
		Projects int    `json:"projects"`
	}
	json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !up.OK || up.Kind != "projects" || up.Version != 1 || up.Projects != 1 {
		t.Fatalf("upload: %d %+v", resp.StatusCode, up)
	}
	for _, p := range []string{"/api/v1/projects", "/api/v1/projects?as_of=2023-10-01", "/api/v1/projects?municipality=0880",
		"/api/v1/projects?format=csv", "/api/v1/projects?format=xlsx", "/api/v1/projects/P-0880-001", "/api/v1/projects/nope",
		"/api/v1/projects?municipality=88", "/api/v1/projects?as_of=igår"} {
		c.check(t, ts.URL, p)
	}
	_, b := c.check(t, ts.URL, "/api/v1/projects/P-0880-001")
	var one struct {
		Project struct {
			Households *int64 `json:"households"`
			Status     string `json:"status"`
		} `json:"project"`
	}
	json.Unmarshal(b, &one)
	if one.Project.Status != "completed" || one.Project.Households == nil || *one.Project.Households < 120 {
		t.Errorf("the project: %s", b)
	}
	// the OGC collection lists it, public
	resp2, b2 := mapFetch(t, ts.URL+"/ogc/collections/projects/items?f=json")
	if resp2.StatusCode != http.StatusOK || !strings.Contains(string(b2), `"id":"2024-10-01.P-0880-001"`) {
		t.Errorf("OGC projects: %d %.300s", resp2.StatusCode, b2)
	}
}
