// Package obs is what an operator watches: Prometheus metrics, request ids and
// the structured logger that carries them.
package obs

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Webhook delivery results, the values of basketlink_webhook_deliveries_total{result}.
const (
	DeliveryOK     = "ok"     // the endpoint answered 2xx
	DeliveryFailed = "failed" // a non-2xx answer or none; the event will be retried
)

// Metrics holds every basketlink metric on a registry of its own (no global
// state), so two servers in one process, as in tests, count apart.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	clicks     prometheus.Counter
	outcomes   *prometheus.CounterVec
	exchange   prometheus.Histogram
	deliveries *prometheus.CounterVec
	pending    prometheus.Gauge
}

// NewMetrics registers the metrics, plus the Go runtime's and the process's.
// outcomeStatuses are the outcome statuses shown at 0 before the first one.
func NewMetrics(outcomeStatuses ...string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "basketlink_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "basketlink_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		clicks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "basketlink_clicks_total",
			Help: "Short-link clicks sent on to the broker with a fresh state.",
		}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "basketlink_outcomes_total",
			Help: "Callback outcomes recorded, by status.",
		}, []string{"status"}),
		exchange: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "basketlink_broker_exchange_duration_seconds",
			Help:    "Time the broker took to exchange a code at the callback, whatever the answer.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 25},
		}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "basketlink_webhook_deliveries_total",
			Help: "Webhook delivery attempts, by result.",
		}, []string{"result"}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "basketlink_webhook_pending",
			Help: "Webhook events waiting to be delivered.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.clicks, m.outcomes, m.exchange, m.deliveries, m.pending,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector())
	for _, s := range outcomeStatuses {
		m.outcomes.WithLabelValues(s)
	}
	m.deliveries.WithLabelValues(DeliveryOK)
	m.deliveries.WithLabelValues(DeliveryFailed)
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Request counts one answered request. route is the route's pattern
// (/b/:id, never the raw path), so ids do not multiply the series.
func (m *Metrics) Request(route string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// Click counts one short-link click sent on to the broker.
func (m *Metrics) Click() { m.clicks.Inc() }

// Outcome counts one recorded callback outcome.
func (m *Metrics) Outcome(status string) { m.outcomes.WithLabelValues(status).Inc() }

// Exchange records how long one code exchange took.
func (m *Metrics) Exchange(d time.Duration) { m.exchange.Observe(d.Seconds()) }

// Delivery counts one webhook delivery attempt (DeliveryOK or DeliveryFailed).
func (m *Metrics) Delivery(result string) { m.deliveries.WithLabelValues(result).Inc() }

// SetPending sets how many webhook events wait to be delivered.
func (m *Metrics) SetPending(n int) { m.pending.Set(float64(n)) }
