package sim

import "net/http"

// routes lists every path of the simulator. The four documented endpoints
// come first; login and review are the pages a browser is sent to in off mode.
func (s *Sim) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/api-gw/oauth/authorize", s.authorize)
	mux.HandleFunc("/api-gw/oauth/order-connect", s.orderConnect)
	mux.HandleFunc("/api-gw/oauth/token", s.token)
	mux.HandleFunc("/api-gw/oauth/individual-token-v2", s.individualToken)

	mux.HandleFunc("/api-gw/oauth/login", s.login)
	mux.HandleFunc("/api-gw/oauth/review", s.review)
	mux.Handle("GET /sim.css", assets())
	mux.Handle("GET /"+assets().Name("sim.css"), assets())

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Not found")
	})
	return mux
}
