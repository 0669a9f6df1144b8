package watch

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/scanmetrics"
)

// metrics are the daemon's Prometheus metrics: the shared scan counts and
// the daemon's own.
type metrics struct {
	*scanmetrics.Scans
	errors    *prometheus.CounterVec // by kind: scan, action, watch, db
	actions   *prometheus.CounterVec // by action and outcome
	retries   *prometheus.CounterVec // by action
	events    prometheus.Counter
	overflows prometheus.Counter
}

func newMetrics(st *store) *metrics {
	m := &metrics{
		Scans: scanmetrics.New("baomi_watch"),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baomi_watch_errors_total", Help: "Errors, by kind: scan (a file could not be read), action, watch, db.",
		}, []string{"kind"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baomi_watch_actions_total",
			Help: "Attempts of actions, by action (quarantine, webhook, command) and outcome: ok, failed (queued to be tried again), given_up (failed for good), refused (the file was no longer the one scanned).",
		}, []string{"action", "outcome"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baomi_watch_action_retries_total", Help: "Attempts of actions taken from the retry queue, by action.",
		}, []string{"action"}),
		events: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baomi_watch_events_total", Help: "File system events received.",
		}),
		overflows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baomi_watch_event_overflows_total", Help: "Times the kernel's event queue overflowed (each leads to a rescan).",
		}),
	}
	count := func(f func(context.Context) (int, error)) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := f(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}
	}
	queue := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "baomi_watch_queue_depth", Help: "Files queued (changed, not yet scanned and recorded).",
	}, count(st.depth))
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "baomi_watch_actions_pending", Help: "Failed actions waiting in the retry queue.",
	}, count(st.tasks))
	m.Registry.MustRegister(m.errors, m.actions, m.retries, m.events, m.overflows, queue, pending)
	return m
}

// observe counts one result.
func (m *metrics) observe(r *scanner.Result, took time.Duration) {
	m.Observe(r, took)
	if r.Verdict == scanner.Error {
		m.errors.WithLabelValues("scan").Inc()
	}
}

func (m *metrics) handler() http.Handler { return m.Handler() }
