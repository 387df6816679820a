package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkClick is the short link's path, /b/{id}/go, over real HTTP, many
// clicks at once: run it with -cpuprofile to see where a click's time goes.
// (The throughput goal is measured with wrk against /livez; see the docs.)
func BenchmarkClick(b *testing.B) {
	srv := startServeWith(b, b.TempDir(), nil, nil, "--log-level", "error")
	resp, err := http.Post(srv.URL+"/api/v1/baskets", "application/json", strings.NewReader(
		`{"legs":[{"exch":"NSE","symbol":"IDEA","series":"EQ","inst":"EQT","qty":1,"side":"buy","type":"limit","product":"intraday","limitPrice":10.5,"validity":"day"}]}`))
	if err != nil {
		b.Fatal(err)
	}
	var c created
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || resp.StatusCode != http.StatusCreated {
		b.Fatalf("create: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(c.ShortURL)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound {
				b.Errorf("click: %d", resp.StatusCode)
				return
			}
		}
	})
}
