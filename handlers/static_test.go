package handlers_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"basketlink/static"
)

// get sends one GET with the given headers through a transport that leaves
// Accept-Encoding and the body as they are.
func get(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// TestStaticAssets: every page links its assets under content-hashed names;
// those names resolve, cached for a year; the plain names answer with an ETag
// and a short cache; a conditional GET answers 304; a client that takes gzip
// gets gzip bytes that decompress to the file.
func TestStaticAssets(t *testing.T) {
	srv := start(t, nil)
	_, page := get(t, srv.URL+"/", nil)
	linked := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(linked) != 3 {
		t.Fatalf("the builder links %d static files, want 3 (app.css, htmx, app.js): %v", len(linked), linked)
	}
	hashed := regexp.MustCompile(`^/static/[a-z.]+\.[0-9a-f]{8}\.(css|js)$`)
	for _, m := range linked {
		path := m[1]
		if !hashed.MatchString(path) {
			t.Errorf("the builder links %s, not a content-hashed name", path)
			continue
		}
		res, body := get(t, srv.URL+path, nil)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || len(body) == 0 {
			t.Errorf("%s: status %d, Cache-Control %q, %d bytes", path, res.StatusCode, res.Header.Get("Cache-Control"), len(body))
		}
		etag := res.Header.Get("ETag")
		if res, body := get(t, srv.URL+path, map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified || len(body) != 0 || etag == "" {
			t.Errorf("%s with If-None-Match %s: status %d, %d bytes, want 304 and none", path, etag, res.StatusCode, len(body))
		}
	}

	for _, name := range []string{"app.css", "app.js", "htmx.min.js"} {
		file, err := os.ReadFile("../static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		plainURL := srv.URL + "/static/" + name

		res, body := get(t, plainURL, nil)
		etag := res.Header.Get("ETag")
		if res.StatusCode != 200 || !bytes.Equal(body, file) || etag == "" || res.Header.Get("Cache-Control") != "public, max-age=300" ||
			res.Header.Get("Content-Encoding") != "" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: status %d, %d bytes (file %d), ETag %q, Cache-Control %q, Content-Encoding %q, Vary %q", name, res.StatusCode,
				len(body), len(file), etag, res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
		}
		if res, _ := get(t, plainURL, map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
			t.Errorf("%s with If-None-Match %s: status %d, want 304", name, etag, res.StatusCode)
		}

		res, body = get(t, plainURL, map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
		if res.Header.Get("Content-Encoding") != "gzip" || len(body) >= len(file) || res.Header.Get("ETag") == etag {
			t.Fatalf("%s with gzip accepted: Content-Encoding %q, %d bytes of %d, ETag %q (plain %q)", name,
				res.Header.Get("Content-Encoding"), len(body), len(file), res.Header.Get("ETag"), etag)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unzipped, file) {
			t.Errorf("%s: the gzip body does not decompress to the file (%v)", name, err)
		}
		if res, _ := get(t, plainURL, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": res.Header.Get("ETag")}); res.StatusCode != http.StatusNotModified {
			t.Errorf("%s gzip with its ETag: status %d, want 304", name, res.StatusCode)
		}
		if res, _ := get(t, plainURL, map[string]string{"Accept-Encoding": "gzip;q=0, identity"}); res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s with gzip;q=0: Content-Encoding %q", name, res.Header.Get("Content-Encoding"))
		}
	}

	// A hash that is not the current one is not served as if it were.
	stale := "/static/" + strings.Replace(static.App().Name("app.css"), "app.", "app.0", 1)
	if res, _ := get(t, srv.URL+stale, nil); res.StatusCode != 404 {
		t.Errorf("%s: status %d, want 404", stale, res.StatusCode)
	}
}
