// Command prometheus is a demo of echoerr with Prometheus metrics through
// echo-contrib's echoprometheus: the request count by status and route
// agrees with the responses — wrapped errors, the router's 404 and 405,
// panics, statuses set by echoerr's handlers and clients that went away
// (499) included — and echoerr counts the errors it handled by status and
// route.
//
//	go run .    # metrics on http://127.0.0.1:8080/metrics
//
// The wiring, outermost first (see newServer and README.md):
//
//	e.HTTPErrorHandler = h                   // errors raised outside the chain
//	e.Use(echoprometheus.NewMiddlewareWithConfig(...)) // counts c.Response().Status
//	e.Use(echoerr.Middleware(h))             // has written it by then
//	e.Use(middleware.RecoverWithConfig(...)) // a panic becomes an error h handles
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/echoerr/echoerr"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()

	reg := prometheus.NewRegistry()
	e := newServer(reg)
	e.GET("/metrics", echoprometheus.NewHandlerWithConfig(echoprometheus.HandlerConfig{Gatherer: reg}))
	fmt.Printf("echoerr + Prometheus demo on http://%s; try a few of these, then /metrics:\n", *addr)
	for _, p := range []string{"/users/1", "/users/2", "/users/7", "/users/8", "/panic", "/wrapped-404", "/nope", "/metrics"} {
		fmt.Printf("  curl -i http://%s%s\n", *addr, p)
	}
	log.Fatal(e.Start(*addr))
}

// errNoSuchUser is what the demo's user store answers for an unknown id;
// an echoerr handler turns it into a 404.
var errNoSuchUser = errors.New("no such user")

// errUserStore is what the demo's user store fails with.
var errUserStore = errors.New("user store: connection reset by peer")

// newServer builds the demo application, with its metrics registered on
// reg and its middleware in the order the integration needs.
func newServer(reg prometheus.Registerer) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	errorsTotal := newErrorCounter(reg)
	h := newErrorHandler(errorsTotal)
	e.HTTPErrorHandler = h
	e.Use(echoprometheus.NewMiddlewareWithConfig(metricsConfig(reg)))
	e.Use(echoerr.Middleware(h))
	e.Use(echoerr.Recover())
	addRoutes(e)
	return e
}

// metricsConfig is echoprometheus's configuration: echo_requests_total and
// the latency and size histograms, labelled with code, method, host and url
// (the route). Unknown URLs are labelled with an empty url rather than
// their path, which a scanner would turn into a new series per request.
func metricsConfig(reg prometheus.Registerer) echoprometheus.MiddlewareConfig {
	return echoprometheus.MiddlewareConfig{
		Registerer:                reg,
		DoNotUseRequestPathFor404: true,
	}
}

// newErrorHandler is the application's echoerr handler: JSON bodies, a
// 404 for errNoSuchUser, and every handled error counted.
func newErrorHandler(errorsTotal *prometheus.CounterVec) echo.HTTPErrorHandler {
	return echoerr.New(
		echoerr.WithRenderer(echoerr.JSON()),
		echoerr.OnError(errNoSuchUser, func(c echo.Context, err error) error {
			return echoerr.NotFound("There is no such user.")
		}),
		echoerr.WithReporter(countError(errorsTotal)),
		echoerr.WithReportFilter(func(*echoerr.Error) bool { return true }),
	)
}

func addRoutes(e *echo.Echo) {
	e.GET("/users/:id", func(c echo.Context) error {
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
	// /wait answers when the client has gone away: echoerr records 499.
	e.GET("/wait", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return fmt.Errorf("wait: %w", c.Request().Context().Err())
	})
}
