package main

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkCallbackToDelivery: the time from the start of a callback (the
// browser arriving back from the simulator) to the webhook's arrival at a
// local receiver, one flow at a time; reports the median and p99.
func BenchmarkCallbackToDelivery(b *testing.B) {
	var mu sync.Mutex
	var arrivals []time.Time
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
	}))
	defer rc.Close()
	srv := startServeWith(b, b.TempDir(), nil, nil, "--sim-auto", "approve", "--log-level", "error")
	addWebhook(b, srv.URL, rc.URL)
	t := &testing.T{}
	br := newBrowser(t, nil)
	c := createBasket(t, br, srv.URL, liveBasket(b), "bench")
	delays := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		oc, _ := click(t, br, c.ShortURL)
		cb := approve(t, br, oc)
		start := time.Now()
		br.get(cb)
		for {
			mu.Lock()
			n := len(arrivals)
			var at time.Time
			if n > i {
				at = arrivals[i]
			}
			mu.Unlock()
			if n > i {
				delays = append(delays, at.Sub(start))
				break
			}
			time.Sleep(100 * time.Microsecond)
		}
	}
	b.StopTimer()
	slices.Sort(delays)
	b.ReportMetric(float64(delays[len(delays)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(delays[(len(delays)*99)/100].Microseconds())/1000, "p99-ms")
}
