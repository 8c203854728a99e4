package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler)) // echoerr's log records: not under test here
	os.Exit(m.Run())
}

const requestsHelp = `# HELP echo_requests_total How many HTTP requests processed, partitioned by status code and HTTP method.
# TYPE echo_requests_total counter
`

const errorsHelp = `# HELP echoerr_errors_total Errors handled by echoerr, by response status and route.
# TYPE echoerr_errors_total counter
`

// expected is the exposition text of one request's counters: a request
// counted with code and url (the route, or "" for an unknown URL), and, when
// errorCode is not 0, an error counted with errorCode and the route.
func expected(code int, url string, errorCode int) string {
	s := requestsHelp + fmt.Sprintf("echo_requests_total{code=%q,host=\"example.com\",method=\"GET\",url=%q} 1\n", fmt.Sprint(code), url)
	if errorCode != 0 {
		s += errorsHelp + fmt.Sprintf("echoerr_errors_total{code=%q,route=%q} 1\n", fmt.Sprint(errorCode), url)
	}
	return s
}

func serve(e *echo.Echo, req *http.Request) *httptest.ResponseRecorder {
	res := httptest.NewRecorder()
	e.ServeHTTP(res, req)
	return res
}

// cases are responses of every kind: the status the client gets, and the
// route label Prometheus should count it under.
var cases = []struct {
	name, method, path string
	code               int
	url                string
}{
	{"ok", http.MethodGet, "/users/1", http.StatusOK, "/users/:id"},
	{"echoerr.NotFound", http.MethodGet, "/users/2", http.StatusNotFound, "/users/:id"},
	{"wrapped echo.ErrNotFound", http.MethodGet, "/wrapped-404", http.StatusNotFound, "/wrapped-404"},
	{"sentinel turned 404 by a handler", http.MethodGet, "/users/8", http.StatusNotFound, "/users/:id"},
	{"router 404", http.MethodGet, "/no/such/page", http.StatusNotFound, ""},
	{"router 405", http.MethodPost, "/users/1", http.StatusMethodNotAllowed, "/users/:id"},
	{"unknown error", http.MethodGet, "/users/7", http.StatusInternalServerError, "/users/:id"},
	{"panic", http.MethodGet, "/panic", http.StatusInternalServerError, "/panic"},
	{"deadline", http.MethodGet, "/slow", http.StatusServiceUnavailable, "/slow"},
}

func TestRequestAndErrorCountsAgreeWithResponses(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			e := newServer(reg)
			res := serve(e, httptest.NewRequest(tc.method, tc.path, nil))
			require.Equal(t, tc.code, res.Code)
			want := expected(tc.code, tc.url, tc.code)
			if tc.code < 400 {
				want = expected(tc.code, tc.url, 0)
			}
			want = strings.Replace(want, `method="GET"`, fmt.Sprintf("method=%q", tc.method), 1)
			assert.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(want),
				"echo_requests_total", "echoerr_errors_total"))
		})
	}
}

// TestClientGoneIsCounted499 cancels the request's context, as net/http
// does when the client goes away: nothing is sent, the request is counted
// as 499, and it is not an error of the server's.
func TestClientGoneIsCounted499(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newServer(reg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	serve(e, httptest.NewRequest(http.MethodGet, "/wait", nil).WithContext(ctx))
	assert.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(expected(499, "/wait", 0)),
		"echo_requests_total", "echoerr_errors_total"))
}

// TestClientGoneOnALoopbackServerIsCounted499 does the same with a real
// client that hangs up on a real server.
func TestClientGoneOnALoopbackServerIsCounted499(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newServer(reg)
	started, finished := make(chan struct{}), make(chan struct{})
	// Pre middleware runs outside all the others: when it returns, the
	// metrics are in.
	e.Pre(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			close(started)
			defer close(finished)
			return next(c)
		}
	})
	srv := httptest.NewServer(e)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/wait", nil)
	require.NoError(t, err)
	go func() {
		<-started
		cancel() // the client gives up while the route waits
	}()
	_, err = srv.Client().Do(req)
	require.ErrorIs(t, err, context.Canceled)
	select {
	case <-finished:
	case <-time.After(30 * time.Second): // a guard against a hang, not a timing assertion
		t.Fatal("the server never saw the client go away")
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	want := strings.Replace(expected(499, "/wait", 0), "example.com", host, 1)
	assert.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(want),
		"echo_requests_total", "echoerr_errors_total"))
}

// TestRequestLoggerHandleErrorCountsOnce puts Echo's RequestLogger with
// HandleError inside echoerr.Middleware: the handler runs twice for one
// request, and each counter moves once.
func TestRequestLoggerHandleErrorCountsOnce(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := newErrorHandler(newErrorCounter(reg))
	calls := 0
	counting := func(err error, c echo.Context) { calls++; h(err, c) }
	e := echo.New()
	e.HTTPErrorHandler = counting
	e.Use(echoprometheus.NewMiddlewareWithConfig(metricsConfig(reg)))
	e.Use(echoerr.Middleware(counting))
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:   true,
		LogValuesFunc: func(echo.Context, middleware.RequestLoggerValues) error { return nil },
	}))
	addRoutes(e)

	res := serve(e, httptest.NewRequest(http.MethodGet, "/users/8", nil))
	require.Equal(t, http.StatusNotFound, res.Code)
	assert.Equal(t, 2, calls, "the handler is called twice")
	assert.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(expected(404, "/users/:id", 404)),
		"echo_requests_total", "echoerr_errors_total"))
}

// TestWithoutMiddlewareTheDefaultResolverMiscounts is the control for the
// wiring: with echoerr only as e.HTTPErrorHandler, echoprometheus counts
// before the handler ran, from the error: its default resolver finds a
// wrapped *echo.HTTPError (errors.As) but counts everything else as 500 —
// an echoerr.Error, a handler's 404, a 503, a gone client.
func TestWithoutMiddlewareTheDefaultResolverMiscounts(t *testing.T) {
	for _, tc := range []struct {
		path    string
		code    int // what the client got (nothing at all for /wait)
		counted int
	}{
		{"/wrapped-404", http.StatusNotFound, http.StatusNotFound},
		{"/users/2", http.StatusNotFound, http.StatusInternalServerError},
		{"/users/8", http.StatusNotFound, http.StatusInternalServerError},
		{"/slow", http.StatusServiceUnavailable, http.StatusInternalServerError},
		{"/wait", httperr.StatusClientClosedRequest, http.StatusInternalServerError},
	} {
		t.Run(tc.path, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			e := echo.New()
			e.HTTPErrorHandler = newErrorHandler(newErrorCounter(reg))
			e.Use(echoprometheus.NewMiddlewareWithConfig(metricsConfig(reg)))
			addRoutes(e)
			ctx, cancel := context.WithCancel(context.Background())
			if tc.path == "/wait" {
				cancel()
			}
			defer cancel()
			serve(e, httptest.NewRequest(http.MethodGet, tc.path, nil).WithContext(ctx))
			got := testutil.ToFloat64(requestCounter(t, reg, tc.counted))
			assert.Equal(t, 1.0, got, "%s counted as %d", tc.path, tc.counted)
		})
	}
}

// TestStatusOfResolverMissesHandlers is the control for the alternative to
// echoerr.Middleware, a StatusCodeResolver calling echoerr.StatusOf: it
// agrees with the handler's normalization, but not with what a handler
// decides (errNoSuchUser answered 404 is counted as 500).
func TestStatusOfResolverMissesHandlers(t *testing.T) {
	reg := prometheus.NewRegistry()
	cfg := metricsConfig(reg)
	cfg.StatusCodeResolver = func(c echo.Context, err error) int {
		if err == nil {
			return c.Response().Status
		}
		return echoerr.StatusOf(err)
	}
	e := echo.New()
	e.HTTPErrorHandler = newErrorHandler(newErrorCounter(reg))
	e.Use(echoprometheus.NewMiddlewareWithConfig(cfg))
	addRoutes(e)

	res := serve(e, httptest.NewRequest(http.MethodGet, "/users/2", nil))
	require.Equal(t, http.StatusNotFound, res.Code)
	assert.Equal(t, 1.0, testutil.ToFloat64(requestCounter(t, reg, http.StatusNotFound)))

	res = serve(e, httptest.NewRequest(http.MethodGet, "/users/8", nil))
	require.Equal(t, http.StatusNotFound, res.Code)
	assert.Equal(t, 1.0, testutil.ToFloat64(requestCounter(t, reg, http.StatusInternalServerError)))
}

// requestCounter returns the one echo_requests_total series with code.
func requestCounter(t *testing.T, reg *prometheus.Registry, code int) prometheus.Collector {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != "echo_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "code" && l.GetValue() == fmt.Sprint(code) {
					return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "c", Help: "c"},
						func() float64 { return m.GetCounter().GetValue() })
				}
			}
		}
	}
	t.Fatalf("no echo_requests_total series with code %d", code)
	return nil
}

func TestDemoServesMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newServer(reg)
	e.GET("/metrics", echoprometheus.NewHandlerWithConfig(echoprometheus.HandlerConfig{Gatherer: reg}))
	serve(e, httptest.NewRequest(http.MethodGet, "/users/7", nil))
	res := serve(e, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, res.Code)
	assert.Contains(t, res.Body.String(), `echo_requests_total{code="500",host="example.com",method="GET",url="/users/:id"} 1`)
	assert.Contains(t, res.Body.String(), `echoerr_errors_total{code="500",route="/users/:id"} 1`)
}
