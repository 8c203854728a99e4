package main

import (
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/echoerr/echoerr"
)

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
// echoerr never reports: echo_requests_total counts those as 499.
//
// echoerr has one reporter per scope. To send 5xx to an error tracker as
// well, do both here and check e.Code >= 500 before reporting.
func countError(v *prometheus.CounterVec) func(echo.Context, *echoerr.Error) {
	return func(c echo.Context, e *echoerr.Error) {
		v.WithLabelValues(strconv.Itoa(e.Code), c.Path()).Inc()
	}
}
