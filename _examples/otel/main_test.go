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
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/github.com/labstack/echo/otelecho"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler)) // echoerr's log records: not under test here
	os.Exit(m.Run())
}

// tracer returns a tracer provider whose ended spans the recorder keeps.
// otelecho ends the server span before ServeHTTP returns, and the recorder
// takes it synchronously, so no flush or wait is needed; the provider is
// shut down (flushing its processors) when the test ends.
func tracer(t *testing.T) (*sdktrace.TracerProvider, *tracetest.SpanRecorder) {
	t.Helper()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	return tp, sr
}

// serverSpan serves req and returns the response and the one server span
// it produced.
func serverSpan(t *testing.T, e *echo.Echo, sr *tracetest.SpanRecorder, req *http.Request) (*httptest.ResponseRecorder, sdktrace.ReadOnlySpan) {
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

// cases are responses of every kind, with the status the client gets.
var cases = []struct {
	method, path string
	code         int
}{
	{http.MethodGet, "/users/1", http.StatusOK},
	{http.MethodGet, "/users/2", http.StatusNotFound},            // echoerr.NotFound
	{http.MethodGet, "/wrapped-404", http.StatusNotFound},        // fmt.Errorf("...: %w", echo.ErrNotFound)
	{http.MethodGet, "/nope", http.StatusNotFound},               // the router's 404
	{http.MethodPost, "/users/1", http.StatusMethodNotAllowed},   // the router's 405
	{http.MethodGet, "/users/7", http.StatusInternalServerError}, // an unknown error
	{http.MethodGet, "/panic", http.StatusInternalServerError},   // a panic through Recover
	{http.MethodGet, "/slow", http.StatusServiceUnavailable},     // context.DeadlineExceeded
}

func TestSpanStatusCodeIsTheResponseStatus(t *testing.T) {
	tp, sr := tracer(t)
	e := newServer(tp)
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res, span := serverSpan(t, e, sr, httptest.NewRequest(tc.method, tc.path, nil))
			require.Equal(t, tc.code, res.Code)
			v, ok := attr(span, "http.response.status_code")
			require.True(t, ok, "no http.response.status_code")
			assert.Equal(t, int64(tc.code), v.AsInt64())
			v, ok = attr(span, "http.status_code") // otelecho's own, older name
			require.True(t, ok)
			assert.Equal(t, int64(tc.code), v.AsInt64())
		})
	}
}

// TestSpanStatusFollowsTheHTTPConventions: Error for a 5xx, with error.type
// set to the status; unset for everything else, a 4xx included.
func TestSpanStatusFollowsTheHTTPConventions(t *testing.T) {
	tp, sr := tracer(t)
	e := newServer(tp)
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			_, span := serverSpan(t, e, sr, httptest.NewRequest(tc.method, tc.path, nil))
			errType, hasErrType := attr(span, "error.type")
			if tc.code >= 500 {
				assert.Equal(t, codes.Error, span.Status().Code)
				assert.Equal(t, fmt.Sprint(tc.code), errType.AsString())
			} else {
				assert.Equal(t, codes.Unset, span.Status().Code, "status description %q", span.Status().Description)
				assert.False(t, hasErrType, "error.type on a %d", tc.code)
			}
			route, _ := attr(span, "http.route")
			if tc.path == "/nope" {
				assert.Equal(t, "GET", span.Name())
			} else {
				assert.Equal(t, tc.method+" "+route.AsString(), span.Name())
			}
		})
	}
}

var goroutineHeader = regexp.MustCompile(`(?m)^goroutine \d+ \[`)

func TestServerErrorIsRecordedOnceAsAnException(t *testing.T) {
	tp, sr := tracer(t)
	e := newServer(tp)
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			_, span := serverSpan(t, e, sr, httptest.NewRequest(tc.method, tc.path, nil))
			events := exceptionEvents(span)
			if tc.code < 500 {
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
			}
		})
	}
}

// TestClientGoneIs499WithoutException: a request whose context is
// cancelled (the client went away) gets a span with 499 and no error.
func TestClientGoneIs499WithoutException(t *testing.T) {
	tp, sr := tracer(t)
	e := newServer(tp)
	e.GET("/wait", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, span := serverSpan(t, e, sr, httptest.NewRequest(http.MethodGet, "/wait", nil).WithContext(ctx))
	v, _ := attr(span, "http.response.status_code")
	assert.Equal(t, int64(httperr.StatusClientClosedRequest), v.AsInt64())
	assert.Equal(t, codes.Unset, span.Status().Code)
	assert.Empty(t, exceptionEvents(span))
}

// TestRequestLoggerHandleErrorRecordsOnce puts Echo's RequestLogger with
// HandleError inside echoerr.Middleware: the handler runs twice for one
// request, and the span still gets one exception event.
func TestRequestLoggerHandleErrorRecordsOnce(t *testing.T) {
	tp, sr := tracer(t)
	calls := 0
	h := newErrorHandler()
	counting := func(err error, c echo.Context) { calls++; h(err, c) }
	e := echo.New()
	e.HTTPErrorHandler = counting
	e.Use(otelecho.Middleware("test", otelecho.WithTracerProvider(tp)))
	e.Use(spanStatus)
	e.Use(echoerr.Middleware(counting))
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:   true,
		LogValuesFunc: func(echo.Context, middleware.RequestLoggerValues) error { return nil },
	}))
	e.Use(echoerr.Recover())
	addRoutes(e)

	res, span := serverSpan(t, e, sr, httptest.NewRequest(http.MethodGet, "/users/7", nil))
	require.Equal(t, http.StatusInternalServerError, res.Code)
	assert.Equal(t, 2, calls, "the handler is called twice")
	assert.Len(t, exceptionEvents(span), 1)
	v, _ := attr(span, "http.response.status_code")
	assert.Equal(t, int64(500), v.AsInt64())
}

func TestNoSecretInTheSpan(t *testing.T) {
	tp, sr := tracer(t)
	e := newServer(tp)
	token, session, refresh, password := secret(), secret(), secret(), secret()
	addLeakyRoutes(e, refresh)
	for _, path := range []string{"/leak", "/leak-panic", "/leak-basic"} {
		_, span := serverSpan(t, e, sr, leakyRequest(path, token, session, password))
		text := spanText(span)
		assert.Contains(t, text, "[redacted]", path)
		assertNoSecret(t, text, path, token, session, refresh, password)
	}
}

func addLeakyRoutes(e *echo.Echo, refresh string) {
	leak := func(c echo.Context) error {
		c.SetCookie(&http.Cookie{Name: "refresh", Value: refresh, HttpOnly: true})
		return fmt.Errorf("upstream refused %q (cookie %q, set %q)",
			c.Request().Header.Get("Authorization"), c.Request().Header.Get("Cookie"),
			c.Response().Header().Get("Set-Cookie"))
	}
	e.GET("/leak", leak)
	e.GET("/leak-panic", func(c echo.Context) error { panic(leak(c)) })
	e.GET("/leak-basic", func(c echo.Context) error {
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

// TestWithoutMiddlewareTheSpanLeaksAndMisreports is the control for the
// wiring: without echoerr.Middleware, otelecho gets the error, records its
// raw text as the echo.error attribute (secrets and all) and calls
// c.Error itself, after spanStatus has already read a 200.
func TestWithoutMiddlewareTheSpanLeaksAndMisreports(t *testing.T) {
	tp, sr := tracer(t)
	e := echo.New()
	e.HTTPErrorHandler = newErrorHandler()
	e.Use(otelecho.Middleware("test", otelecho.WithTracerProvider(tp)))
	e.Use(spanStatus)
	e.Use(echoerr.Recover())
	addRoutes(e)
	token := secret()
	addLeakyRoutes(e, secret())

	res, span := serverSpan(t, e, sr, leakyRequest("/leak", token, secret(), ""))
	require.Equal(t, http.StatusInternalServerError, res.Code)
	v, _ := attr(span, "http.response.status_code")
	assert.Equal(t, int64(http.StatusOK), v.AsInt64(), "spanStatus read the status before the handler ran")
	leaked, _ := attr(span, "echo.error")
	assert.Contains(t, leaked.AsString(), token)
}

// TestSpanStatusOutsideOtelechoSeesNoSpan is the control for the order of
// spanStatus: outside otelecho the request's context no longer holds the
// server span, so the stable attribute is missing.
func TestSpanStatusOutsideOtelechoSeesNoSpan(t *testing.T) {
	tp, sr := tracer(t)
	h := newErrorHandler()
	e := echo.New()
	e.HTTPErrorHandler = h
	e.Use(spanStatus)
	e.Use(otelecho.Middleware("test", otelecho.WithTracerProvider(tp)))
	e.Use(echoerr.Middleware(h))
	addRoutes(e)

	_, span := serverSpan(t, e, sr, httptest.NewRequest(http.MethodGet, "/users/7", nil))
	_, ok := attr(span, "http.response.status_code")
	assert.False(t, ok)
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
