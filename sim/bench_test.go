package sim_test

import (
	"testing"

	"basketlink/sim"
)

// BenchmarkOrderConnectAndExchange is one approve-mode order-connect of the
// documented basket (validation included) and its code exchange, over real HTTP.
func BenchmarkOrderConnectAndExchange(b *testing.B) {
	srv := start(b, func(c *sim.Config) { c.Auto = sim.AutoApprove })
	for b.Loop() {
		code := approveCode(b, srv)
		if status, body := postToken(b, srv, tokenForm(srv, code)); status != 200 {
			b.Fatalf("exchange: %d %s", status, body)
		}
	}
}
