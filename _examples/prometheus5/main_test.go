package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr/httperr"
	echoerr "github.com/echoerr/echoerr/v5"
)

const requestsHelp = `# HELP http_requests_total HTTP requests served, by response status, method and route.
# TYPE http_requests_total counter
`

const errorsHelp = `# HELP echoerr_errors_total Errors handled by echoerr, by response status and route.
# TYPE echoerr_errors_total counter
`

// expected is the exposition text of one request's counters: a request
// counted with code, method and route ("" for an unknown URL), and, when
// errorCode is not 0, an error counted with errorCode and the route.
func expected(code int, method, route string, errorCode int) string {
	s := requestsHelp + fmt.Sprintf("http_requests_total{code=%q,method=%q,route=%q} 1\n", fmt.Sprint(code), method, route)
	if errorCode != 0 {
		s += errorsHelp + fmt.Sprintf("echoerr_errors_total{code=%q,route=%q} 1\n", fmt.Sprint(errorCode), route)
	}
	return s
}

// compare checks both counters against want, exactly.
func compare(t *testing.T, reg *prometheus.Registry, want string) {
	t.Helper()
	assert.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(want),
		"http_requests_total", "echoerr_errors_total"))
}

// observations returns the number of samples in the
// http_request_duration_seconds series with these labels (their values are
// durations, which the tests do not look at).
func observations(t *testing.T, reg *prometheus.Registry, code int, method, route string) uint64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	want := map[string]string{"code": fmt.Sprint(code), "method": method, "route": route}
	var n uint64
	for _, mf := range mfs {
		if mf.GetName() != "http_request_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			if fmt.Sprint(got) == fmt.Sprint(want) {
				n += m.GetHistogram().GetSampleCount()
			}
		}
	}
	return n
}

// quiet makes e log nothing: echoerr logs through e.Logger by default.
func quiet(e *echo.Echo) *echo.Echo {
	e.Logger = slog.New(slog.DiscardHandler)
	return e
}

func serve(e *echo.Echo, req *http.Request) *httptest.ResponseRecorder {
	res := httptest.NewRecorder()
	e.ServeHTTP(res, req)
	return res
}

// goneRequest is a request whose client has gone away: its context is
// cancelled, as net/http cancels it when the connection closes.
func goneRequest(path string) *http.Request {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx)
}

// cases are responses of every kind: the status the client gets, and the
// route the metrics should count it under.
var cases = []struct {
	name, method, path string
	code               int
	route              string
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
			e := quiet(newServer(reg))
			res := serve(e, httptest.NewRequest(tc.method, tc.path, nil))
			require.Equal(t, tc.code, res.Code)
			errorCode := tc.code
			if tc.code < 400 {
				errorCode = 0
			}
			compare(t, reg, expected(tc.code, tc.method, tc.route, errorCode))
			assert.Equal(t, uint64(1), observations(t, reg, tc.code, tc.method, tc.route), "latency samples")
		})
	}
}

// TestUnknownMethodsShareOneLabel: made-up methods are counted as OTHER.
func TestUnknownMethodsShareOneLabel(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := quiet(newServer(reg))
	for _, m := range []string{"BREW", "WHEN"} {
		require.Equal(t, http.StatusMethodNotAllowed, serve(e, httptest.NewRequest(m, "/users/1", nil)).Code)
	}
	got := testutil.ToFloat64(requestsCounter(t, reg, `code="405",method="OTHER",route="/users/:id"`))
	assert.Equal(t, 2.0, got)
}

// TestClientGoneIsCounted499 cancels the request's context, as net/http
// does when the client goes away: nothing is sent, the request is counted
// as 499, and it is not an error of the server's.
func TestClientGoneIsCounted499(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := quiet(newServer(reg))
	serve(e, goneRequest("/wait"))
	compare(t, reg, expected(httperr.StatusClientClosedRequest, http.MethodGet, "/wait", 0))
}

// TestClientGoneOnALoopbackServerIsCounted499 does the same with a real
// client that hangs up on a real server.
func TestClientGoneOnALoopbackServerIsCounted499(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := quiet(newServer(reg))
	started, finished := make(chan struct{}), make(chan struct{})
	// Pre middleware runs outside all the others: when it returns, the
	// metrics are in.
	e.Pre(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
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
	compare(t, reg, expected(httperr.StatusClientClosedRequest, http.MethodGet, "/wait", 0))
}

// TestRequestLoggerHandleErrorCountsOnce puts Echo's RequestLogger inside
// echoerr.Middleware: with HandleError (on in middleware.RequestLogger()
// too), the handler runs twice for one request, and each metric moves once.
func TestRequestLoggerHandleErrorCountsOnce(t *testing.T) {
	for name, logger := range map[string]echo.MiddlewareFunc{
		"RequestLogger()": middleware.RequestLogger(),
		"RequestLoggerWithConfig(HandleError)": middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			HandleError:   true,
			LogValuesFunc: func(*echo.Context, middleware.RequestLoggerValues) error { return nil },
		}),
	} {
		t.Run(name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			h := newErrorHandler(newErrorCounter(reg))
			calls := 0
			counting := func(c *echo.Context, err error) { calls++; h(c, err) }
			e := quiet(echo.New())
			e.HTTPErrorHandler = counting
			e.Use(requestMetrics(reg))
			e.Use(echoerr.Middleware(counting))
			e.Use(logger)
			addRoutes(e)

			res := serve(e, httptest.NewRequest(http.MethodGet, "/users/8", nil))
			require.Equal(t, http.StatusNotFound, res.Code)
			assert.Equal(t, 2, calls, "the handler is called twice")
			compare(t, reg, expected(http.StatusNotFound, http.MethodGet, "/users/:id", http.StatusNotFound))
			assert.Equal(t, uint64(1), observations(t, reg, http.StatusNotFound, http.MethodGet, "/users/:id"))
		})
	}
}

// TestWithoutInChainHandlingTheCountsAreWrong is the control for the
// wiring, without echoerr.Middleware and with it outside requestMetrics:
// the error then reaches requestMetrics unhandled, and
// echo.ResolveResponseStatus can only read the error — right for Echo's
// and echoerr's status carriers (errors.As), 500 for a sentinel a handler
// answers with 404, a deadline answered with 503 and a client that went
// away.
func TestWithoutInChainHandlingTheCountsAreWrong(t *testing.T) {
	for name, wire := range map[string]func(e *echo.Echo, reg prometheus.Registerer, h echo.HTTPErrorHandler){
		"without echoerr.Middleware": func(e *echo.Echo, reg prometheus.Registerer, h echo.HTTPErrorHandler) {
			e.Use(requestMetrics(reg))
		},
		"echoerr.Middleware outside requestMetrics": func(e *echo.Echo, reg prometheus.Registerer, h echo.HTTPErrorHandler) {
			e.Use(echoerr.Middleware(h))
			e.Use(requestMetrics(reg))
		},
	} {
		for _, tc := range []struct {
			path    string
			code    int // what the client got (nothing at all for /wait)
			counted int
		}{
			{"/wrapped-404", http.StatusNotFound, http.StatusNotFound},
			{"/users/2", http.StatusNotFound, http.StatusNotFound},
			{"/users/8", http.StatusNotFound, http.StatusInternalServerError},
			{"/slow", http.StatusServiceUnavailable, http.StatusInternalServerError},
			{"/wait", httperr.StatusClientClosedRequest, http.StatusInternalServerError},
		} {
			t.Run(name+" "+tc.path, func(t *testing.T) {
				reg := prometheus.NewRegistry()
				h := newErrorHandler(newErrorCounter(reg))
				e := quiet(echo.New())
				e.HTTPErrorHandler = h
				wire(e, reg, h)
				addRoutes(e)
				req := httptest.NewRequest(http.MethodGet, tc.path, nil)
				if tc.path == "/wait" {
					req = goneRequest(tc.path)
				}
				if res := serve(e, req); tc.path != "/wait" {
					require.Equal(t, tc.code, res.Code)
				}
				route := tc.path
				if strings.HasPrefix(route, "/users/") {
					route = "/users/:id"
				}
				got := testutil.ToFloat64(requestsCounter(t, reg, fmt.Sprintf("code=%q,method=\"GET\",route=%q", fmt.Sprint(tc.counted), route)))
				assert.Equal(t, 1.0, got, "%s counted as %d", tc.path, tc.counted)
			})
		}
	}
}

// TestRecoverOutsideTheMetricsLosesPanics is the control for the order of
// Recover: outside requestMetrics, a panic unwinds through it and the
// request is not counted at all.
func TestRecoverOutsideTheMetricsLosesPanics(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := newErrorHandler(newErrorCounter(reg))
	e := quiet(echo.New())
	e.HTTPErrorHandler = h
	e.Use(echoerr.Recover())
	e.Use(requestMetrics(reg))
	e.Use(echoerr.Middleware(h))
	addRoutes(e)

	require.Equal(t, http.StatusInternalServerError, serve(e, httptest.NewRequest(http.MethodGet, "/panic", nil)).Code)
	n, err := testutil.GatherAndCount(reg, "http_requests_total")
	require.NoError(t, err)
	assert.Equal(t, 0, n)
}

// requestsCounter returns the one http_requests_total series whose labels,
// as the exposition format writes them, are labels.
func requestsCounter(t *testing.T, reg *prometheus.Registry, labels string) prometheus.Collector {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	var seen []string
	for _, mf := range mfs {
		if mf.GetName() != "http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			var parts []string
			for _, l := range m.GetLabel() {
				parts = append(parts, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			if got := strings.Join(parts, ","); got == labels {
				return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "c", Help: "c"},
					func() float64 { return m.GetCounter().GetValue() })
			} else {
				seen = append(seen, got)
			}
		}
	}
	t.Fatalf("no http_requests_total{%s}; there are %v", labels, seen)
	return nil
}

func TestDemoServesMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := quiet(newServer(reg))
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	serve(e, httptest.NewRequest(http.MethodGet, "/users/7", nil))
	res := serve(e, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, res.Code)
	body, _ := io.ReadAll(res.Body)
	assert.Contains(t, string(body), `http_requests_total{code="500",method="GET",route="/users/:id"} 1`)
	assert.Contains(t, string(body), `http_request_duration_seconds_count{code="500",method="GET",route="/users/:id"} 1`)
	assert.Contains(t, string(body), `echoerr_errors_total{code="500",route="/users/:id"} 1`)
}
