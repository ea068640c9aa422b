package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"mime/multipart"
	"os"
	"strings"
	"testing"
)

// TestUploadRefusesDamagedFiles: a file refused as damaged or in the wrong
// encoding is a 422 listing the reason, like any file with errors, never an
// internal error, and the snapshot in force stays.
func TestUploadRefusesDamagedFiles(t *testing.T) {
	t.Parallel()
	fx := newAuthzFixture(t)
	raw, err := os.ReadFile("../coverage/testdata/gaps.csv")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	utf16 := []byte{0xff, 0xfe}
	for _, r := range string(raw) {
		utf16 = append(utf16, byte(r), byte(r>>8)) // every rune of gaps.csv is in the BMP
	}
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"gzip cut short", "gaps.csv.gz", gz.Bytes()[:gz.Len()-10], "gaps.csv.gz: the file ends early: gzip stream truncated after"},
		{"UTF-16", "gaps.csv", utf16, "gaps.csv: the file is UTF-16 (little-endian), not UTF-8"},
		{"empty", "tom.csv", nil, "tom.csv:1: no header row"},
	}
	var before int
	fx.pool.QueryRow(t.Context(), "SELECT count(*) FROM address_points").Scan(&before)
	for _, tt := range tests {
		body := func(c caller) (io.Reader, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf", c.csrf)
			mw.WriteField("as_of", "2024-10-01")
			fw, _ := mw.CreateFormFile("file", tt.file)
			fw.Write(tt.data)
			mw.Close()
			return &buf, mw.FormDataContentType()
		}
		resp, b := fx.do(t, route{method: "POST", path: "/uppladdning", body: body}, coordinator)
		var out struct {
			Errors []string `json:"errors"`
		}
		json.Unmarshal(b, &out)
		if resp.StatusCode != 422 || len(out.Errors) == 0 || !strings.HasPrefix(out.Errors[0], tt.want) {
			t.Errorf("%s: %d %s; want 422 with %q first", tt.name, resp.StatusCode, b, tt.want)
		}
	}
	var after int
	fx.pool.QueryRow(t.Context(), "SELECT count(*) FROM address_points").Scan(&after)
	if after != before || before == 0 {
		t.Errorf("address points %d before the refused uploads, %d after", before, after)
	}
}
