package static

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                     false,
		"gzip":                 true,
		"gzip, deflate, br":    true,
		"br;q=1.0, gzip;q=0.8": true,
		"GZIP":                 true,
		"gzip;q=0":             false,
		"gzip; q=0.000":        false,
		"gzip;q=0.001":         true,
		"*":                    true,
		"*;q=0":                false,
		"gzip;q=0, *":          false, // named beats *
		"*, gzip;q=0":          false,
		"identity":             false,
		"deflate, br":          false,
		"x-gzip":               true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

// TestNames: hashed names follow the content; a file compression does not
// shrink is served as it is, without Vary.
func TestNames(t *testing.T) {
	noise := make([]byte, 256)
	for i := range noise {
		noise[i] = byte(i*131 + i*i*7)
	}
	a, err := New(fstest.MapFS{
		"x.css":    {Data: []byte("body { color: red } /* long enough to compress: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa */")},
		"n.bin":    {Data: noise},
		"sub/y.js": {Data: []byte("nested, not served")},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(fstest.MapFS{"x.css": {Data: []byte("body { color: blue }")}})
	if a.Name("x.css") == b.Name("x.css") || a.Name("x.css") == "x.css" || a.Name("nope.css") != "nope.css" {
		t.Errorf("names: %s, %s, %s", a.Name("x.css"), b.Name("x.css"), a.Name("nope.css"))
	}
	if a.Has("y.js") || a.Has("sub/y.js") || !a.Has(a.Name("n.bin")) {
		t.Errorf("Has: a nested file is served, or a hashed name is not")
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/static/n.bin", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	a.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "" || rec.Header().Get("Vary") != "" || rec.Body.Len() != len(noise) {
		t.Errorf("incompressible file: %d, Content-Encoding %q, Vary %q, %d bytes", rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"), rec.Body.Len())
	}
}
