package echoerr_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// TestLogRecordHasRequestAndErrorAttributes: one record per error with the
// status, method, path, route, request id (from middleware.RequestID) and
// the error with its chain.
func TestLogRecordHasRequestAndErrorAttributes(t *testing.T) {
	f := newFixture(t)
	f.E.Use(middleware.RequestID())
	f.failWith("/users/:id", fmt.Errorf("load user: %w", errors.New("pq: no rows")))
	rec := f.do(http.MethodGet, "/users/7?q=1")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	rs := f.Log.Records()
	require.Len(t, rs, 1)
	r := rs[0]
	assert.Equal(t, slog.LevelError, r.Level)
	assert.Equal(t, "request failed", r.Message)
	a := attrs(r)
	assert.Equal(t, "500", a["status"])
	assert.Equal(t, "GET", a["method"])
	assert.Equal(t, "/users/7", a["path"])
	assert.Equal(t, "/users/:id", a["route"])
	require.NotEmpty(t, rec.Header().Get(echo.HeaderXRequestID))
	assert.Equal(t, rec.Header().Get(echo.HeaderXRequestID), a["request_id"])
	assert.Equal(t, "load user: pq: no rows", a["error"])
	assert.Equal(t, "[*fmt.wrapError: load user: pq: no rows *errors.errorString: pq: no rows]", a["chain"])
}

// TestLogRecordRequestIDFromProxy: without the middleware, a request id
// set by a proxy is used; without either there is no request_id attribute.
func TestLogRecordRequestIDFromProxy(t *testing.T) {
	f := newFixture(t)
	f.do(http.MethodGet, "/missing", "X-Request-Id: from-proxy")
	f.do(http.MethodGet, "/missing")
	rs := f.Log.Records()
	require.Len(t, rs, 2)
	assert.Equal(t, "from-proxy", attrs(rs[0])["request_id"])
	assert.NotContains(t, attrs(rs[1]), "request_id")
	assert.Equal(t, "/missing", attrs(rs[1])["path"])
}

// TestLogLevelByStatus: 5xx at Error, 4xx at Info, a gone client at Debug.
func TestLogLevelByStatus(t *testing.T) {
	for _, tc := range []struct {
		err   error
		level slog.Level
		gone  bool // the request's context is done: the client went away
	}{
		{errors.New("boom"), slog.LevelError, false},
		{echo.ErrServiceUnavailable, slog.LevelError, false},
		{context.DeadlineExceeded, slog.LevelError, false},
		{echo.ErrNotFound, slog.LevelInfo, false},
		{echo.NewHTTPError(http.StatusBadRequest, "Bad."), slog.LevelInfo, false},
		{echoerr.TooManyRequests("", 0), slog.LevelInfo, false},
		{context.Canceled, slog.LevelDebug, true},
		{context.Canceled, slog.LevelError, false}, // the route's own work was cancelled
	} {
		f := newFixture(t)
		f.failWith("/x", tc.err)
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		if tc.gone {
			req = canceledRequest("/x")
		}
		f.E.ServeHTTP(httptest.NewRecorder(), req)
		rs := f.Log.Records()
		require.Len(t, rs, 1, "%v", tc.err)
		assert.Equal(t, tc.level, rs[0].Level, "%v", tc.err)
		assert.Equal(t, "GET", attrs(rs[0])["method"])
	}
}

// TestLoggerLevelIsRespected: a logger at Warn gets 5xx but not 4xx; the
// reporter does not depend on the logger.
func TestLoggerLevelIsRespected(t *testing.T) {
	log := &logRecorder{level: slog.LevelWarn}
	reports := &reportRecorder{}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithLogger(slog.New(log)), echoerr.WithReporter(reports.report))
	e.GET("/fail", func(echo.Context) error { return errors.New("boom") })
	serve(e, http.MethodGet, "/missing")
	serve(e, http.MethodGet, "/fail")
	rs := log.Records()
	require.Len(t, rs, 1)
	assert.Equal(t, "500", attrs(rs[0])["status"])
	assert.Len(t, reports.Reports(), 1)
}

// TestReporterOncePerServerErrorByDefault: the reporter gets each 5xx once,
// after the response was written, with the canonical error; 4xx and gone
// clients are not reported.
func TestReporterOncePerServerErrorByDefault(t *testing.T) {
	routeErr := fmt.Errorf("charge: %w", errors.New("stripe: timeout"))
	var committed []bool
	var routes []string
	reports := &reportRecorder{}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		echoerr.WithReporter(func(c echo.Context, fe *echoerr.Error) {
			committed = append(committed, c.Response().Committed)
			routes = append(routes, c.Path())
			reports.report(c, fe)
		}),
	)
	e.GET("/pay/:id", func(echo.Context) error { return routeErr })
	e.GET("/gone", func(echo.Context) error { return context.Canceled })
	e.GET("/bad", func(echo.Context) error { return echo.ErrBadRequest })
	serve(e, http.MethodGet, "/pay/1")
	serve(e, http.MethodGet, "/missing")
	e.ServeHTTP(httptest.NewRecorder(), canceledRequest("/gone"))
	serve(e, http.MethodGet, "/bad")
	rs := reports.Reports()
	require.Len(t, rs, 1)
	assert.Equal(t, 500, rs[0].Code)
	assert.Same(t, routeErr, rs[0].Err)
	assert.Equal(t, []bool{true}, committed, "reported after the response was written")
	assert.Equal(t, []string{"/pay/:id"}, routes)
}

// TestReportFilterIsConfigurable: WithReportFilter decides what is
// reported.
func TestReportFilterIsConfigurable(t *testing.T) {
	f := newFixture(t, echoerr.WithReportFilter(func(e *echoerr.Error) bool { return e.Code == http.StatusNotFound }))
	f.failWith("/fail", errors.New("boom"))
	f.do(http.MethodGet, "/missing")
	f.do(http.MethodGet, "/fail")
	rs := f.Reports.Reports()
	require.Len(t, rs, 1)
	assert.Equal(t, http.StatusNotFound, rs[0].Code)
}

// TestPanickingReporterDoesNotBreakTheResponse: the response stands and the
// reporter's panic is logged.
func TestPanickingReporterDoesNotBreakTheResponse(t *testing.T) {
	log := &logRecorder{}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(log)),
		echoerr.WithReporter(func(echo.Context, *echoerr.Error) { panic("sentry down") }),
	)
	e.GET("/fail", func(echo.Context) error { return errors.New("boom") })
	var rec *httpRecorder
	require.NotPanics(t, func() { rec = serve(e, http.MethodGet, "/fail") })
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, expectedJSON(500), rec.Body.String())
	assert.Equal(t, []string{"request failed", "echoerr: reporter panicked"}, log.Messages())
	assert.Equal(t, "sentry down", attrs(log.Records()[1])["panic"])
}

// panicHandler is a slog.Handler whose Handle panics.
type panicHandler struct{}

func (panicHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panicHandler) Handle(context.Context, slog.Record) error { panic("log sink down") }
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panicHandler) WithGroup(string) slog.Handler           { return h }

// TestPanickingLogHandlerDoesNotBreakTheResponse: the response stands and
// the reporter still runs.
func TestPanickingLogHandlerDoesNotBreakTheResponse(t *testing.T) {
	reports := &reportRecorder{}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(echoerr.WithLogger(slog.New(panicHandler{})), echoerr.WithReporter(reports.report))
	e.GET("/fail", func(echo.Context) error { return errors.New("boom") })
	for path, code := range map[string]int{"/fail": 500, "/missing": 404} {
		var rec *httpRecorder
		require.NotPanics(t, func() { rec = serve(e, http.MethodGet, path) })
		assert.Equal(t, code, rec.Code)
		assert.Equal(t, expectedJSON(code), rec.Body.String())
	}
	assert.Len(t, reports.Reports(), 1)
}
