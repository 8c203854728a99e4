package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/prometheus/client_golang/prometheus"

	echoerr "github.com/echoerr/echoerr/v5"
)

// requestMetrics registers http_requests_total and
// http_request_duration_seconds, both by code, method and route, on reg,
// and returns middleware that counts and times every request under the
// status the client got: echo.ResolveResponseStatus after next, which is
// the written status once echoerr.Middleware (inside) has handled the
// error, or the 499 echoerr records for a client that went away. The route
// is the pattern that matched ("/users/:id"), "" when none did: a scanner's
// 404s add no series.
func requestMetrics(reg prometheus.Registerer) echo.MiddlewareFunc {
	labels := []string{"code", "method", "route"}
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "http_requests_total",
		Help: "HTTP requests served, by response status, method and route.",
	}, labels)
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "http_request_duration_seconds",
		Help:    "Time to serve HTTP requests, by response status, method and route.",
		Buckets: prometheus.DefBuckets,
	}, labels)
	reg.MustRegister(requests, duration)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			start := time.Now()
			err := next(c)
			_, status := echo.ResolveResponseStatus(c.Response(), err)
			l := prometheus.Labels{"code": strconv.Itoa(status), "method": method(c.Request().Method), "route": c.Path()}
			requests.With(l).Inc()
			duration.With(l).Observe(time.Since(start).Seconds())
			return err
		}
	}
}

// method is the request's method as a label: the standard ones, or
// "OTHER" (a label with unbounded values would grow a series per made-up
// method).
func method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// newErrorCounter registers echoerr_errors_total{code,route}: the errors
// echoerr handled, by the status it answered and the route.
func newErrorCounter(reg prometheus.Registerer) *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "echoerr",
		Name:      "errors_total",
		Help:      "Errors handled by echoerr, by response status and route.",
	}, []string{"code", "route"})
	reg.MustRegister(v)
	return v
}

// countError is echoerr's reporter: it counts each handled error once.
// Given WithReportFilter(func(*echoerr.Error) bool { return true }), echoerr
// calls it for every error (4xx too) except a client that went away, which
// echoerr never reports: http_requests_total counts those as 499.
//
// echoerr has one reporter per scope. To send 5xx to an error tracker as
// well, do both here and check e.Code >= 500 before reporting.
func countError(v *prometheus.CounterVec) func(*echo.Context, *echoerr.Error) {
	return func(c *echo.Context, e *echoerr.Error) {
		v.WithLabelValues(strconv.Itoa(e.Code), c.Path()).Inc()
	}
}
