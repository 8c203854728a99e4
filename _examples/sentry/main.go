// Command sentry is a demo of echoerr reporting server errors to Sentry
// through sentry-go's Echo integration (sentryecho): every 5xx is captured
// once (the first 5 of each fingerprint a minute: storm control), with the
// request, the route, the status, the request id and the error chain with
// its stack, and the transaction's status is the status the client got.
//
//	go run .                          # no DSN: events are printed, not sent
//	SENTRY_DSN=https://... go run .   # send them to your Sentry project
//
// The wiring, outermost first (see newServer and README.md):
//
//	e.HTTPErrorHandler = h                  // errors raised outside the chain
//	e.Use(middleware.RequestID())           // the id is on the response before anything reads it
//	e.Use(sentryecho.New(...))              // transaction + hub; reads the final status
//	e.Use(echoerr.Middleware(h))            // handles the error inside sentryecho
//	e.Use(middleware.RecoverWithConfig(...)) // a panic becomes an error h handles
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/getsentry/sentry-go"
	sentryecho "github.com/getsentry/sentry-go/echo"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/echoerr/echoerr"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dsn := os.Getenv("SENTRY_DSN")
	if err := run(ctx, *addr, dsn, func(a net.Addr) {
		fmt.Printf("echoerr + Sentry demo on http://%s (DSN set: %v); try:\n", a, dsn != "")
		for _, p := range []string{"/users/1", "/users/2", "/users/7", "/boom", "/panic", "/wrapped-404", "/nope"} {
			fmt.Printf("  curl -i http://%s%s\n", a, p)
		}
	}); err != nil {
		log.Fatal(err)
	}
}

// run serves the demo on addr until ctx is done, then flushes what Sentry
// still holds. With a DSN, sentry-go queues events and sends them from
// another goroutine: without the flush, the last events die with the
// process. (log.Fatal(e.Start(addr)) would never flush: e.Start returns
// only on failure, and log.Fatal exits without running deferred calls.
// The server returns instead, on SIGINT or SIGTERM.)
func run(ctx context.Context, addr, dsn string, listening func(net.Addr)) error {
	var transport sentry.Transport // nil: sentry-go's HTTP transport, for a real DSN
	if dsn == "" {
		transport = stdoutTransport{}
	}
	if err := sentry.Init(clientOptions(dsn, transport)); err != nil {
		return err
	}
	defer sentry.Flush(5 * time.Second)
	storms := &echoerr.StormControl{} // the recommended setting
	defer storms.Flush()              // the last window's summaries, before the process ends

	return serveUntilDone(ctx, newServer(storms), addr, listening)
}

// serveUntilDone runs e on addr until ctx is done, then shuts it down gracefully:
// the requests in flight are answered (and reported) before it returns.
func serveUntilDone(ctx context.Context, e *echo.Echo, addr string, listening func(net.Addr)) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	e.Listener = l
	listening(l.Addr())
	served := make(chan error, 1)
	go func() { served <- e.Start("") }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// clientOptions are the Sentry options of the demo and of its tests.
// Tracing is on, so that every request has a transaction. BeforeSend and
// BeforeSendTransaction drop secret request headers even when
// SendDefaultPII is turned on.
func clientOptions(dsn string, transport sentry.Transport) sentry.ClientOptions {
	return sentry.ClientOptions{
		Dsn:                   dsn,
		Transport:             transport,
		EnableTracing:         true,
		TracesSampleRate:      1.0,
		BeforeSend:            scrubEvent,
		BeforeSendTransaction: scrubEvent,
	}
}

// newErrorHandler is the application's echoerr handler: JSON bodies, and
// every reportable error (5xx) sent to Sentry, under storm control: each
// error has a fingerprint, which the event carries (Sentry groups by it),
// and past the first reports of a fingerprint in a minute the rest are
// counted in a summary log record instead of sent.
func newErrorHandler(storms *echoerr.StormControl) echo.HTTPErrorHandler {
	return echoerr.New(
		echoerr.WithRenderer(echoerr.JSON()),
		echoerr.WithReporter(reportToSentry),
		echoerr.WithStormControl(storms),
	)
}

// newServer builds the demo application with its middleware in the order
// the integration needs.
func newServer(storms *echoerr.StormControl) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	h := newErrorHandler(storms)
	e.HTTPErrorHandler = h
	e.Use(middleware.RequestID())
	e.Use(sentryecho.New(sentryecho.Options{Repanic: true}))
	e.Use(echoerr.Middleware(h))
	e.Use(echoerr.Recover()) // the panic's frames as program counters, which Sentry reads
	addRoutes(e)
	return e
}

// errUserStore is what the demo's "database" fails with.
var errUserStore = errors.New("user store: connection reset by peer")

func addRoutes(e *echo.Echo) {
	e.GET("/users/:id", func(c echo.Context) error {
		switch id := c.Param("id"); id {
		case "1":
			return c.JSON(http.StatusOK, map[string]string{"id": id, "name": "Ada"})
		case "7":
			return fmt.Errorf("load user %s: %w", id, withStack(errUserStore))
		default:
			return echoerr.NotFound("There is no user " + id + ".")
		}
	})
	e.GET("/boom", func(c echo.Context) error {
		return errors.New("something broke")
	})
	e.GET("/panic", func(c echo.Context) error {
		parts := strings.Split(c.QueryParam("path"), "/")
		return c.String(http.StatusOK, parts[3]) // index out of range: a bug

	})
	e.GET("/wrapped-404", func(c echo.Context) error {
		return fmt.Errorf("find page: %w", echo.ErrNotFound)
	})
	e.GET("/slow", func(c echo.Context) error {
		return fmt.Errorf("query: %w", context.DeadlineExceeded) // 503
	})
}

// stdoutTransport prints a line per event instead of sending it, for the
// demo without a DSN.
type stdoutTransport struct{}

func (stdoutTransport) Configure(sentry.ClientOptions)        {}
func (stdoutTransport) Flush(time.Duration) bool              { return true }
func (stdoutTransport) FlushWithContext(context.Context) bool { return true }
func (stdoutTransport) Close()                                {}

func (stdoutTransport) SendEvent(ev *sentry.Event) {
	if ev.Type == "transaction" {
		status, _ := json.Marshal(ev.Contexts["trace"]["status"])
		fmt.Printf("sentry: transaction %q status %s\n", ev.Transaction, status)
		return
	}
	if len(ev.Exception) == 0 {
		return
	}
	outer := ev.Exception[len(ev.Exception)-1] // Sentry lists the chain innermost first
	frames := 0
	for _, x := range ev.Exception {
		if x.Stacktrace != nil {
			frames += len(x.Stacktrace.Frames)
		}
	}
	fmt.Printf("sentry: event %s %s status %s request_id %s: %s: %s (%d links, %d frames)\n",
		ev.EventID, ev.Transaction, ev.Tags["http.status_code"], ev.Tags["request_id"],
		outer.Type, outer.Value, len(ev.Exception), frames)
}
