package main

import (
	"context"
	stdlog "log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/serve"
)

type serveFlags struct {
	policy      policyFlags
	isolate     isolationFlags
	listen      string
	tokenFile   string
	tlsCert     string
	tlsKey      string
	maxUpload   string
	maxRequests int
	workers     int
	failOn      string
}

func newServeCmd(g *globals) *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve a page for staff and an HTTP API that check files before release",
		Long: `serve answers a page (GET /) where staff drop the files they are about to
release, and an API for the systems that publish (POST /api/v1/scan, multipart
field "file", repeatable) that answers the object 'baomi scan --format json'
prints, with the exit code scan would give in the Baomi-Exit-Code header.
GET /api/v1/openapi.json describes it; /healthz and /metrics are as in watch.

Uploads are kept in a private folder under the system's temporary folder only
until the answer is sent. It listens on loopback unless told otherwise; any
other address needs --token-file (Authorization: Bearer), and --tls-cert and
--tls-key to keep the token and the files off the wire in the clear.
SIGHUP reloads the policies; SIGTERM or Ctrl-C lets requests in flight finish
and exits 0. Exit code 3 on usage or policy errors.`,
		Example: `  baomi serve
  baomi serve --listen 0.0.0.0:8470 --token-file /etc/baomi/tokens --tls-cert cert.pem --tls-key key.pem
  curl -F file=@通知.docx http://127.0.0.1:8470/api/v1/scan`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(g, cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8470", "address to listen on; anything but loopback needs --token-file")
	fl.StringVar(&f.tokenFile, "token-file", "", "`FILE` of API tokens, one per line as NAME TOKEN (the name goes to the audit log)")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (PEM; with --tls-key)")
	fl.StringVar(&f.tlsKey, "tls-key", "", "private key `FILE` for --tls-cert (PEM)")
	fl.StringVar(&f.maxUpload, "max-upload", "200MiB", "most bytes one request may upload")
	fl.IntVar(&f.maxRequests, "max-requests", serve.DefaultMaxRequests, "scan requests taken at once; more are answered 503 with Retry-After")
	fl.IntVarP(&f.workers, "workers", "j", runtime.NumCPU(), "files scanned at once, over all requests")
	fl.StringVar(&f.failOn, "fail-on", "low", "lowest severity that makes Baomi-Exit-Code 1: low, medium or high")
	f.policy.register(cmd)
	f.isolate.register(cmd)
	return cmd
}

func runServe(g *globals, cmd *cobra.Command, f *serveFlags) error {
	// Caught from the start: a reload sent while starting must not kill
	// the server (SIGHUP's default).
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	// A server logs JSON lines at info level (the audit lines) unless told
	// otherwise.
	lvl := zerolog.InfoLevel
	if cmd.Flags().Changed("log-level") {
		lvl = g.log.GetLevel()
	}
	log := zerolog.New(g.stderr).Level(lvl).With().Timestamp().Logger()
	g.log = log

	failOn, err := policies.ParseSeverity(f.failOn)
	if err != nil {
		return usageErr("--fail-on: %v", err)
	}
	if f.workers < 1 || f.maxRequests < 1 {
		return usageErr("--workers and --max-requests must be at least 1")
	}
	maxUpload, err := parseBytes(f.maxUpload)
	if err != nil {
		return usageErr("--max-upload: %v", err)
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usageErr("--tls-cert and --tls-key go together")
	}
	var tokens serve.Tokens
	if f.tokenFile != "" {
		if tokens, err = serve.LoadTokens(f.tokenFile); err != nil {
			return usageErr("--token-file: %v", err)
		}
	}
	m, err := f.policy.load()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return usageErr("--listen: %v", err)
	}
	defer ln.Close()
	if a, ok := ln.Addr().(*net.TCPAddr); !ok || !a.IP.IsLoopback() {
		if tokens == nil {
			return usageErr("--listen %s is reachable from other machines: give --token-file (and --tls-cert, --tls-key)", f.listen)
		}
		if f.tlsCert == "" {
			log.Warn().Msg("serving other machines without TLS: tokens and files cross the network in the clear (use --tls-cert and --tls-key)")
		}
	}
	x, stopX, err := f.isolate.extractor(g, f.workers)
	if err != nil {
		return err
	}
	defer stopX()
	srv := serve.New(serve.Options{
		Matcher: m, Extractor: x, Workers: f.workers, MaxRequests: f.maxRequests,
		MaxUpload: maxUpload, FailOn: failOn, Tokens: tokens, Log: log,
	})
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// net/http's own complaints (TLS handshakes, bad requests) as
		// JSON lines like the rest of the log.
		ErrorLog: stdlog.New(log, "", 0),
	}
	served := make(chan error, 1)
	go func() {
		if f.tlsCert != "" {
			served <- hs.ServeTLS(ln, f.tlsCert, f.tlsKey)
		} else {
			served <- hs.Serve(ln)
		}
	}()
	log.Info().Str("addr", ln.Addr().String()).Bool("tls", f.tlsCert != "").Bool("token", tokens != nil).Msg("serving")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for {
		select {
		case <-hup:
			if m, err := f.policy.load(); err != nil {
				log.Error().Str("error", err.Error()).Msg("reload failed: keeping the old policy")
			} else {
				srv.Reload(m)
				log.Info().Str("policy", m.Policy().Hash).Msg("policy reloaded")
			}
		case err := <-served:
			// Serve returns at once when the certificate cannot be loaded.
			return usageErr("serve: %v", err)
		case <-ctx.Done():
			// Requests in flight finish: each file is bounded by
			// --file-timeout, uploads by the slow-client timeout.
			log.Info().Msg("stopping: waiting for requests in flight")
			sctx, cancel := context.WithTimeout(context.Background(), f.isolate.timeout+time.Minute)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				log.Error().Str("error", err.Error()).Msg("stopping")
			}
			log.Info().Msg("stopped")
			return nil
		}
	}
}
