// Command otel5 is a demo of echoerr with OpenTelemetry tracing on Echo
// v5: the server span of every request carries the status the client got
// (http.response.status_code, 499 for a client that went away), its status
// is Error for a 5xx and unset for a 4xx, as OpenTelemetry's HTTP semantic
// conventions ask, and a 5xx is recorded on it once as an exception event,
// without secret values.
//
//	go run .    # spans are printed to stdout
//
// There is no otelecho for Echo v5: serverSpan (trace.go) is the server-span
// middleware, some 40 lines on the OpenTelemetry API.
//
// The wiring, outermost first (see newServer and README.md):
//
//	e.HTTPErrorHandler = h                   // errors raised outside the chain
//	e.Use(middleware.RequestID())
//	e.Use(serverSpan(tp, propagator))        // the server span; the final status onto it
//	e.Use(echoerr.Middleware(h))             // handles the error inside it
//	e.Use(echoerr.Recover())                 // a panic becomes an error h handles
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

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	echoerr "github.com/echoerr/echoerr/v5"
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
		for _, p := range []string{"/users/1", "/users/2", "/users/7", "/users/8", "/panic", "/wrapped-404", "/nope"} {
			fmt.Printf("  curl -i http://%s%s\n", a, p)
		}
	}); err != nil {
		log.Fatal(err)
	}
}

// run serves the demo on addr until ctx is done, with its spans exported by
// exporter in batches, then shuts the tracer provider down, which exports
// what the batcher still holds. (log.Fatal around a server would skip
// that: the server returns instead, on SIGINT or SIGTERM.)
func run(ctx context.Context, addr string, exporter sdktrace.SpanExporter, listening func(net.Addr)) error {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	sc := echo.StartConfig{Address: addr, HideBanner: true, HidePort: true, ListenerAddrFunc: listening}
	return sc.Start(ctx, newServer(tp))
}

// propagator reads the caller's trace context from the request (W3C
// traceparent and baggage).
var propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// newErrorHandler is the application's echoerr handler: JSON bodies, a
// 404 for errNoSuchUser, and every reportable error (5xx) recorded on the
// request's span.
func newErrorHandler() echo.HTTPErrorHandler {
	return echoerr.New(
		echoerr.WithRenderer(echoerr.JSON()),
		echoerr.OnError(errNoSuchUser, func(c *echo.Context, err error) error {
			return echoerr.NotFound("There is no such user.")
		}),
		echoerr.WithReporter(recordException),
	)
}

// newServer builds the demo application, traced by tp, with its middleware
// in the order the integration needs.
func newServer(tp trace.TracerProvider) *echo.Echo {
	e := echo.New()
	h := newErrorHandler()
	e.HTTPErrorHandler = h
	e.Use(middleware.RequestID())
	e.Use(serverSpan(tp, propagator))
	e.Use(echoerr.Middleware(h))
	e.Use(echoerr.Recover())
	addRoutes(e)
	return e
}

// errNoSuchUser is what the demo's user store answers for an unknown id;
// an echoerr handler turns it into a 404.
var errNoSuchUser = errors.New("no such user")

// errUserStore is what the demo's user store fails with.
var errUserStore = errors.New("user store: connection reset by peer")

func addRoutes(e *echo.Echo) {
	e.GET("/users/:id", func(c *echo.Context) error {
		switch id := c.Param("id"); id {
		case "1":
			return c.JSON(http.StatusOK, map[string]string{"id": id, "name": "Ada"})
		case "7":
			return fmt.Errorf("load user %s: %w", id, errUserStore)
		case "8":
			return fmt.Errorf("load user %s: %w", id, errNoSuchUser) // 404 by the handler
		default:
			return echoerr.NotFound("There is no user " + id + ".")
		}
	})
	e.GET("/panic", func(c *echo.Context) error {
		parts := strings.Split(c.QueryParam("path"), "/")
		return c.String(http.StatusOK, parts[3]) // index out of range: a bug
	})
	e.GET("/wrapped-404", func(c *echo.Context) error {
		return fmt.Errorf("find page: %w", echo.ErrNotFound)
	})
	e.GET("/slow", func(c *echo.Context) error {
		return fmt.Errorf("query: %w", context.DeadlineExceeded) // 503
	})
	// /wait answers when the client has gone away: echoerr records 499.
	e.GET("/wait", func(c *echo.Context) error {
		<-c.Request().Context().Done()
		return fmt.Errorf("wait: %w", c.Request().Context().Err())
	})
}
