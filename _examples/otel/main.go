// Command otel is a demo of echoerr with OpenTelemetry tracing through
// otelecho: the server span of every request carries the status the client
// got (http.response.status_code), its status is Error for a 5xx and unset
// for a 4xx, as OpenTelemetry's HTTP semantic conventions ask, and a 5xx is
// recorded on it once as an exception event, without secret values.
//
//	go run .    # spans are printed to stdout
//
// otelecho is deprecated upstream (its last release is v0.60.0; Echo's
// maintainers now publish github.com/labstack/echo-opentelemetry); see
// README.md.
//
// The wiring, outermost first (see newServer and README.md):
//
//	e.HTTPErrorHandler = h                   // errors raised outside the chain
//	e.Use(middleware.RequestID())
//	e.Use(otelecho.Middleware(...))          // the server span
//	e.Use(spanStatus)                        // the final status onto the span
//	e.Use(echoerr.Middleware(h))             // handles the error inside both
//	e.Use(middleware.RecoverWithConfig(...)) // a panic becomes an error h handles
package main

import (
	"context"
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

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"go.opentelemetry.io/contrib/instrumentation/github.com/labstack/echo/otelecho"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/echoerr/echoerr"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// A real service would export with OTLP (otlptracehttp or
	// otlptracegrpc); the demo prints each batch of spans.
	exporter, err := stdouttrace.New(stdouttrace.WithWriter(os.Stdout), stdouttrace.WithPrettyPrint())
	if err != nil {
		log.Fatal(err)
	}
	if err := run(ctx, *addr, exporter, func(a net.Addr) {
		fmt.Printf("echoerr + OpenTelemetry demo on http://%s; spans are printed here; try:\n", a)
		for _, p := range []string{"/users/1", "/users/2", "/users/7", "/panic", "/wrapped-404", "/nope"} {
			fmt.Printf("  curl -i http://%s%s\n", a, p)
		}
	}); err != nil {
		log.Fatal(err)
	}
}

// run serves the demo on addr until ctx is done, with its spans exported by
// exporter in batches, then shuts the tracer provider down, which exports
// what the batcher still holds. (log.Fatal(e.Start(addr)) would never do
// that: e.Start returns only on failure, and log.Fatal exits without
// running deferred calls. The server returns instead, on SIGINT or
// SIGTERM.)
func run(ctx context.Context, addr string, exporter sdktrace.SpanExporter, listening func(net.Addr)) error {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	return serveUntilDone(ctx, newServer(tp), addr, listening)
}

// serveUntilDone runs e on addr until ctx is done, then shuts it down
// gracefully: the requests in flight are answered (and their spans ended)
// before it returns.
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

// newErrorHandler is the application's echoerr handler: JSON bodies, and
// every reportable error (5xx) recorded on the request's span.
func newErrorHandler() echo.HTTPErrorHandler {
	return echoerr.New(
		echoerr.WithRenderer(echoerr.JSON()),
		echoerr.WithReporter(recordException),
	)
}

// newServer builds the demo application, traced by tp, with its middleware
// in the order the integration needs.
func newServer(tp trace.TracerProvider) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	h := newErrorHandler()
	e.HTTPErrorHandler = h
	e.Use(middleware.RequestID())
	e.Use(otelecho.Middleware("echoerr-demo", otelecho.WithTracerProvider(tp)))
	e.Use(spanStatus)
	e.Use(echoerr.Middleware(h))
	e.Use(echoerr.Recover())
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
			return fmt.Errorf("load user %s: %w", id, errUserStore)
		default:
			return echoerr.NotFound("There is no user " + id + ".")
		}
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
