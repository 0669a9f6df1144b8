// Package scanmetrics holds the Prometheus metrics that baomi's long-running
// commands (watch, serve) share: files scanned by verdict, findings by
// severity and the time to scan a file, with the Go and process
// collectors, in a registry of their own. Labels carry verdicts and
// severities only, never paths or text.
package scanmetrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/baomi/baomi/scanner"
)

// Scans counts scanned files. Its Registry takes a command's own metrics too.
type Scans struct {
	Registry *prometheus.Registry
	scanned  *prometheus.CounterVec // by verdict
	findings *prometheus.CounterVec // by severity
	latency  prometheus.Histogram
}

// New returns the metrics named prefix_files_scanned_total,
// prefix_findings_total and prefix_scan_duration_seconds (prefix is, say,
// "baomi_watch"), registered with the Go and process collectors.
func New(prefix string) *Scans {
	s := &Scans{
		Registry: prometheus.NewRegistry(),
		scanned: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: prefix + "_files_scanned_total", Help: "Files scanned, by verdict.",
		}, []string{"verdict"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: prefix + "_findings_total", Help: "Findings, by severity.",
		}, []string{"severity"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: prefix + "_scan_duration_seconds", Help: "Time to scan one file (extraction and matching).",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10), // 5ms .. ~19s
		}),
	}
	s.Registry.MustRegister(s.scanned, s.findings, s.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, v := range []scanner.Verdict{scanner.Clean, scanner.Flagged, scanner.Review, scanner.Error, scanner.Skipped} {
		s.scanned.WithLabelValues(string(v)) // so that zero counts show
	}
	return s
}

// Observe counts one result that took took to scan.
func (s *Scans) Observe(r *scanner.Result, took time.Duration) {
	s.scanned.WithLabelValues(string(r.Verdict)).Inc()
	s.latency.Observe(took.Seconds())
	for _, f := range r.Findings {
		s.findings.WithLabelValues(f.Severity.String()).Inc()
	}
}

// Handler serves the registry in Prometheus' text format.
func (s *Scans) Handler() http.Handler {
	return promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{})
}
