package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/echoerr/echoerr/httperr"
	echoerr "github.com/echoerr/echoerr/v5"
)

// tracer returns a tracer provider whose ended spans the recorder keeps.
// serverSpan ends the span before ServeHTTP returns, and the recorder takes
// it synchronously, so no flush or wait is needed; the provider is shut
// down (flushing its processors) when the test ends.
func tracer(t *testing.T) (*sdktrace.TracerProvider, *tracetest.SpanRecorder) {
	t.Helper()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	return tp, sr
}

// quiet makes e log nothing: echoerr logs through e.Logger by default.
func quiet(e *echo.Echo) *echo.Echo {
	e.Logger = slog.New(slog.DiscardHandler)
	return e
}

// serverSpanOf serves req and returns the response and the one server span
// it produced.
func serverSpanOf(t *testing.T, e *echo.Echo, sr *tracetest.SpanRecorder, req *http.Request) (*httptest.ResponseRecorder, sdktrace.ReadOnlySpan) {
	t.Helper()
	before := len(sr.Ended())
	res := httptest.NewRecorder()
	e.ServeHTTP(res, req)
	spans := sr.Ended()[before:]
	require.Len(t, spans, 1, "spans for %s %s", req.Method, req.URL)
	require.Equal(t, trace.SpanKindServer, spans[0].SpanKind())
	return res, spans[0]
}

func attr(s sdktrace.ReadOnlySpan, key string) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func statusCode(s sdktrace.ReadOnlySpan) int {
	v, _ := attr(s, "http.response.status_code")
	return int(v.AsInt64())
}

func exceptionEvents(s sdktrace.ReadOnlySpan) []sdktrace.Event {
	var out []sdktrace.Event
	for _, ev := range s.Events() {
		if ev.Name == "exception" {
			out = append(out, ev)
		}
	}
	return out
}

func eventAttr(ev sdktrace.Event, key string) string {
	for _, kv := range ev.Attributes {
		if string(kv.Key) == key {
			return kv.Value.String()
		}
	}
	return ""
}

// goneRequest is a request whose client has gone away: its context is
// cancelled, as net/http cancels it when the connection closes.
func goneRequest(path string) *http.Request {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx)
}

// cases are responses of every kind, with the status the client gets
// (recorded, not sent, for a gone client) and the route.
var cases = []struct {
	name, method, path string
	code               int
	route              string
}{
	{"ok", http.MethodGet, "/users/1", http.StatusOK, "/users/:id"},
	{"echoerr.NotFound", http.MethodGet, "/users/2", http.StatusNotFound, "/users/:id"},
	{"sentinel turned 404 by a handler", http.MethodGet, "/users/8", http.StatusNotFound, "/users/:id"},
	{"wrapped echo.ErrNotFound", http.MethodGet, "/wrapped-404", http.StatusNotFound, "/wrapped-404"},
	{"router 404", http.MethodGet, "/nope", http.StatusNotFound, ""},
	{"router 405", http.MethodPost, "/users/1", http.StatusMethodNotAllowed, "/users/:id"},
	{"unknown error", http.MethodGet, "/users/7", http.StatusInternalServerError, "/users/:id"},
	{"panic", http.MethodGet, "/panic", http.StatusInternalServerError, "/panic"},
	{"deadline", http.MethodGet, "/slow", http.StatusServiceUnavailable, "/slow"},
	{"client gone", http.MethodGet, "/wait", httperr.StatusClientClosedRequest, "/wait"},
}

func request(method, path string) *http.Request {
	if path == "/wait" {
		return goneRequest(path)
	}
	return httptest.NewRequest(method, path, nil)
}

func TestSpanStatusCodeIsTheResponseStatus(t *testing.T) {
	tp, sr := tracer(t)
	e := quiet(newServer(tp))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, span := serverSpanOf(t, e, sr, request(tc.method, tc.path))
			if tc.code != httperr.StatusClientClosedRequest { // nothing is sent to a gone client
				require.Equal(t, tc.code, res.Code)
			}
			_, ok := attr(span, "http.response.status_code")
			require.True(t, ok, "no http.response.status_code")
			assert.Equal(t, tc.code, statusCode(span))
		})
	}
}

// TestSpanFollowsTheHTTPConventions: status Error for a 5xx, with
// error.type set to the status; unset for everything else, a 4xx and a 499
// included. The name is "METHOD route", or the method alone when no route
// matched; http.route is the route.
func TestSpanFollowsTheHTTPConventions(t *testing.T) {
	tp, sr := tracer(t)
	e := quiet(newServer(tp))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, span := serverSpanOf(t, e, sr, request(tc.method, tc.path))
			errType, hasErrType := attr(span, "error.type")
			if tc.code >= 500 {
				assert.Equal(t, codes.Error, span.Status().Code)
				assert.Equal(t, fmt.Sprint(tc.code), errType.AsString())
			} else {
				assert.Equal(t, codes.Unset, span.Status().Code, "status description %q", span.Status().Description)
				assert.False(t, hasErrType, "error.type on a %d", tc.code)
			}
			route, hasRoute := attr(span, "http.route")
			if tc.route == "" {
				assert.Equal(t, tc.method, span.Name())
				assert.False(t, hasRoute)
			} else {
				assert.Equal(t, tc.method+" "+tc.route, span.Name())
				assert.Equal(t, tc.route, route.AsString())
			}
			method, _ := attr(span, "http.request.method")
			assert.Equal(t, tc.method, method.AsString())
			path, _ := attr(span, "url.path")
			assert.Equal(t, tc.path, path.AsString())
		})
	}
}

func TestUnknownMethodIsOther(t *testing.T) {
	tp, sr := tracer(t)
	e := quiet(newServer(tp))
	_, span := serverSpanOf(t, e, sr, httptest.NewRequest("BREW", "/users/1", nil))
	assert.Equal(t, "HTTP /users/:id", span.Name())
	method, _ := attr(span, "http.request.method")
	assert.Equal(t, "_OTHER", method.AsString())
	original, _ := attr(span, "http.request.method_original")
	assert.Equal(t, "BREW", original.AsString())
	assert.Equal(t, http.StatusMethodNotAllowed, statusCode(span))
}

func TestIncomingTraceIsContinued(t *testing.T) {
	tp, sr := tracer(t)
	e := quiet(newServer(tp))
	req := httptest.NewRequest(http.MethodGet, "/users/7", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	_, span := serverSpanOf(t, e, sr, req)
	assert.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", span.SpanContext().TraceID().String())
	assert.Equal(t, "00f067aa0ba902b7", span.Parent().SpanID().String())
	assert.True(t, span.Parent().IsRemote())
}

var goroutineHeader = regexp.MustCompile(`(?m)^goroutine \d+ \[`)

func TestServerErrorIsRecordedOnceAsAnException(t *testing.T) {
	tp, sr := tracer(t)
	e := quiet(newServer(tp))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, span := serverSpanOf(t, e, sr, request(tc.method, tc.path))
			events := exceptionEvents(span)
			if tc.code < 500 || tc.code == httperr.StatusClientClosedRequest {
				assert.Empty(t, events, "exception events for a %d", tc.code)
				return
			}
			require.Len(t, events, 1)
			switch tc.path {
			case "/users/7":
				assert.Equal(t, "*fmt.wrapError", eventAttr(events[0], "exception.type"))
				assert.Equal(t, "load user 7: "+errUserStore.Error(), eventAttr(events[0], "exception.message"))
				assert.Empty(t, eventAttr(events[0], "exception.stacktrace"), "a stack made up for an error without one")
			case "/panic":
				assert.Equal(t, "runtime.boundsError", eventAttr(events[0], "exception.type"))
				assert.Equal(t, "runtime error: index out of range [3] with length 1", eventAttr(events[0], "exception.message"))
				st := eventAttr(events[0], "exception.stacktrace")
				assert.Contains(t, st, "addRoutes.func2", "the panicking route")
				assert.Len(t, goroutineHeader.FindAllString(st, -1), 1, "one goroutine's stack:\n%s", st)
			case "/slow":
				assert.Equal(t, "*fmt.wrapError", eventAttr(events[0], "exception.type"))
				assert.Equal(t, "query: context deadline exceeded", eventAttr(events[0], "exception.message"))
			}
		})
	}
}

// TestPanicStackOfEveryGoroutineIsCut: with Echo's default Recover, which
// dumps every goroutine, the exception's stack is still the panicking
// goroutine's only, and its message holds none of the dump.
func TestPanicStackOfEveryGoroutineIsCut(t *testing.T) {
	tp, sr := tracer(t)
	h := newErrorHandler()
	e := quiet(echo.New())
	e.HTTPErrorHandler = h
	e.Use(serverSpan(tp, propagator))
	e.Use(echoerr.Middleware(h))
	e.Use(middleware.Recover())
	addRoutes(e)
	// Another goroutine, parked until the request is served, so that the
	// dump has more than one for certain.
	release := make(chan struct{})
	parked := make(chan struct{})
	go func() { close(parked); <-release }()
	<-parked
	defer close(release)

	_, span := serverSpanOf(t, e, sr, httptest.NewRequest(http.MethodGet, "/panic", nil))
	events := exceptionEvents(span)
	require.Len(t, events, 1)
	st := eventAttr(events[0], "exception.stacktrace")
	assert.Len(t, goroutineHeader.FindAllString(st, -1), 1, "one goroutine's stack:\n%s", st)
	assert.Equal(t, "runtime error: index out of range [3] with length 1", eventAttr(events[0], "exception.message"))
}

// TestRequestLoggerHandleErrorRecordsOnce puts Echo's RequestLogger inside
// echoerr.Middleware: with HandleError (on in middleware.RequestLogger()
// too), the handler runs twice for one request, and the span still gets one
// exception event and the final status.
func TestRequestLoggerHandleErrorRecordsOnce(t *testing.T) {
	for name, logger := range map[string]echo.MiddlewareFunc{
		"RequestLogger()": middleware.RequestLogger(),
		"RequestLoggerWithConfig(HandleError)": middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			HandleError:   true,
			LogValuesFunc: func(*echo.Context, middleware.RequestLoggerValues) error { return nil },
		}),
	} {
		t.Run(name, func(t *testing.T) {
			tp, sr := tracer(t)
			calls := 0
			h := newErrorHandler()
			counting := func(c *echo.Context, err error) { calls++; h(c, err) }
			e := quiet(echo.New())
			e.HTTPErrorHandler = counting
			e.Use(serverSpan(tp, propagator))
			e.Use(echoerr.Middleware(counting))
			e.Use(logger)
			e.Use(echoerr.Recover())
			addRoutes(e)

			for _, path := range []string{"/users/7", "/panic"} {
				calls = 0
				res, span := serverSpanOf(t, e, sr, httptest.NewRequest(http.MethodGet, path, nil))
				require.Equal(t, http.StatusInternalServerError, res.Code)
				assert.Equal(t, 2, calls, "%s: the handler is called twice", path)
				assert.Len(t, exceptionEvents(span), 1, path)
				assert.Equal(t, http.StatusInternalServerError, statusCode(span), path)
			}
		})
	}
}

func TestNoSecretInTheSpan(t *testing.T) {
	tp, sr := tracer(t)
	e := quiet(newServer(tp))
	token, session, refresh, password := secret(), secret(), secret(), secret()
	addLeakyRoutes(e, refresh)
	for _, path := range []string{"/leak", "/leak-panic", "/leak-basic"} {
		_, span := serverSpanOf(t, e, sr, leakyRequest(path, token, session, password))
		require.Len(t, exceptionEvents(span), 1, path)
		text := spanText(span)
		assert.Contains(t, text, "[redacted]", path)
		assertNoSecret(t, text, path, token, session, refresh, password)
	}
}

func addLeakyRoutes(e *echo.Echo, refresh string) {
	leak := func(c *echo.Context) error {
		c.SetCookie(&http.Cookie{Name: "refresh", Value: refresh, HttpOnly: true})
		return fmt.Errorf("upstream refused %q (cookie %q, set %q)",
			c.Request().Header.Get("Authorization"), c.Request().Header.Get("Cookie"),
			c.Response().Header().Get("Set-Cookie"))
	}
	e.GET("/leak", leak)
	e.GET("/leak-panic", func(c *echo.Context) error { panic(leak(c)) })
	e.GET("/leak-basic", func(c *echo.Context) error {
		user, pass, _ := c.Request().BasicAuth()
		return fmt.Errorf("login %s:%s failed", user, pass)
	})
}

func leakyRequest(path, token, session, password string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if path == "/leak-basic" {
		req.SetBasicAuth("ada", password)
	} else {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Cookie", "session="+session+"; lang=en")
	return req
}

// spanText is everything the span would export: name, status, attributes,
// events and their attributes.
func spanText(s sdktrace.ReadOnlySpan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%v %s\n", s.Name(), s.Status().Code, s.Status().Description)
	for _, kv := range s.Attributes() {
		fmt.Fprintf(&b, "%s=%s\n", kv.Key, kv.Value.String())
	}
	for _, ev := range s.Events() {
		fmt.Fprintf(&b, "event %s\n", ev.Name)
		for _, kv := range ev.Attributes {
			fmt.Fprintf(&b, "  %s=%s\n", kv.Key, kv.Value.String())
		}
	}
	return b.String()
}

func assertNoSecret(t *testing.T, text, what string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if i := strings.Index(text, s); i >= 0 {
			from, to := max(0, i-60), min(len(text), i+len(s)+20)
			t.Errorf("%s: a secret leaves the process: ...%s...", what, text[from:to])
		}
	}
}

func secret() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TestWithoutInChainHandlingTheSpanMisreports is the control for the
// wiring, without echoerr.Middleware and with it outside serverSpan: then
// the error reaches serverSpan unhandled and echo.ResolveResponseStatus can
// only read the error — right for Echo's and echoerr's status carriers,
// but 500 for a sentinel a handler answers with 404, a deadline answered
// with 503 and a client that went away — and echoerr runs after the span
// has ended: no exception is recorded.
func TestWithoutInChainHandlingTheSpanMisreports(t *testing.T) {
	for name, wire := range map[string]func(e *echo.Echo, tp trace.TracerProvider, h echo.HTTPErrorHandler){
		"without echoerr.Middleware": func(e *echo.Echo, tp trace.TracerProvider, h echo.HTTPErrorHandler) {
			e.Use(serverSpan(tp, propagator))
		},
		"echoerr.Middleware outside serverSpan": func(e *echo.Echo, tp trace.TracerProvider, h echo.HTTPErrorHandler) {
			e.Use(echoerr.Middleware(h))
			e.Use(serverSpan(tp, propagator))
		},
	} {
		t.Run(name, func(t *testing.T) {
			tp, sr := tracer(t)
			h := newErrorHandler()
			e := quiet(echo.New())
			e.HTTPErrorHandler = h
			wire(e, tp, h)
			e.Use(echoerr.Recover())
			addRoutes(e)
			for _, tc := range []struct {
				path       string
				got, reads int // what the client got, what the span says
			}{
				{"/users/8", http.StatusNotFound, http.StatusInternalServerError},
				{"/slow", http.StatusServiceUnavailable, http.StatusInternalServerError},
				{"/wait", httperr.StatusClientClosedRequest, http.StatusInternalServerError},
			} {
				res, span := serverSpanOf(t, e, sr, request(http.MethodGet, tc.path))
				if tc.path != "/wait" {
					require.Equal(t, tc.got, res.Code, tc.path)
				}
				assert.Equal(t, tc.reads, statusCode(span), tc.path)
			}
			_, span := serverSpanOf(t, e, sr, httptest.NewRequest(http.MethodGet, "/users/7", nil))
			assert.Equal(t, http.StatusInternalServerError, statusCode(span))
			assert.Empty(t, exceptionEvents(span), "recorded on an ended span")
		})
	}
}

// keptExporter keeps its spans when the provider shuts down (the
// in-memory exporter forgets them then).
type keptExporter struct{ *tracetest.InMemoryExporter }

func (keptExporter) Shutdown(context.Context) error { return nil }

// TestRunExportsOnExit runs the demo as main does, with a batching span
// processor: when run returns, after the server's graceful shutdown, the
// last request's span has been exported.
func TestRunExportsOnExit(t *testing.T) {
	exporter := keptExporter{tracetest.NewInMemoryExporter()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrs, done := make(chan net.Addr, 1), make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", exporter, func(a net.Addr) { addrs <- a }) }()
	addr := <-addrs

	res, err := http.Get("http://" + addr.String() + "/users/7")
	require.NoError(t, err)
	_ = res.Body.Close()
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)

	cancel() // SIGINT, for main
	require.NoError(t, <-done)
	spans := exporter.GetSpans()
	require.Len(t, spans, 1, "the span was not exported before run returned")
	assert.Equal(t, "GET /users/:id", spans[0].Name)
	assert.Len(t, spans[0].Events, 1)
}
