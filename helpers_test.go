package echoerr_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// logRecorder is a slog.Handler that keeps every record it is given.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
	level   slog.Level
}

func (h *logRecorder) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logRecorder) WithGroup(string) slog.Handler      { return h }

// Records returns a copy of what was logged so far.
func (h *logRecorder) Records() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]slog.Record(nil), h.records...)
}

// attrs returns a record's attributes by key, as strings.
func attrs(r slog.Record) map[string]string {
	m := map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.String()
		return true
	})
	return m
}

// reportRecorder collects what a reporter is given.
type reportRecorder struct {
	mu     sync.Mutex
	errors []*echoerr.Error
}

func (r *reportRecorder) report(_ echo.Context, e *echoerr.Error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, e)
}

func (r *reportRecorder) Reports() []*echoerr.Error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*echoerr.Error(nil), r.errors...)
}

// fixture is an Echo app wired to echoerr with a log and report recorder.
type fixture struct {
	E       *echo.Echo
	Log     *logRecorder
	Reports *reportRecorder
}

// newFixture returns an Echo app whose error handler is echoerr.New with a
// recording logger (Debug and up) and reporter, then opts.
func newFixture(t testing.TB, opts ...echoerr.Option) *fixture {
	t.Helper()
	f := &fixture{E: echo.New(), Log: &logRecorder{level: slog.LevelDebug}, Reports: &reportRecorder{}}
	f.E.HideBanner, f.E.HidePort = true, true
	all := append([]echoerr.Option{
		echoerr.WithLogger(slog.New(f.Log)),
		echoerr.WithReporter(f.Reports.report),
	}, opts...)
	f.E.HTTPErrorHandler = echoerr.New(all...)
	return f
}

// do serves one request through the app and returns the recorded response.
// headers are "Name: value" strings.
func (f *fixture) do(method, target string, headers ...string) *httptest.ResponseRecorder {
	return serve(f.E, method, target, headers...)
}

func serve(e *echo.Echo, method, target string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// failWith registers GET path on the app, failing with err.
func (f *fixture) failWith(path string, err error) {
	f.E.GET(path, func(echo.Context) error { return err })
}

// decodeJSON decodes a JSON response body into a map.
func decodeJSON(t testing.TB, body io.Reader) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.NewDecoder(body).Decode(&m))
	return m
}

// okHandler answers 200 "ok".
func okHandler(c echo.Context) error { return c.String(http.StatusOK, "ok") }

// tracer records which handlers ran, in order.
type tracer struct {
	mu  sync.Mutex
	ran []string
}

func (tr *tracer) add(tag string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.ran = append(tr.ran, tag)
}

// Ran returns the tags of the handlers that ran so far.
func (tr *tracer) Ran() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]string(nil), tr.ran...)
}

// take returns a handler that records tag and handles the error (nil).
func (tr *tracer) take(tag string) echoerr.HandlerFunc {
	return func(echo.Context, error) error { tr.add(tag); return nil }
}

// pass returns a handler that records tag and declines (Pass).
func (tr *tracer) pass(tag string) echoerr.HandlerFunc {
	return func(echo.Context, error) error { tr.add(tag); return echoerr.Pass }
}

// typed returns an OnType handler for T that records tag and returns result.
func typed[T error](tr *tracer, tag string, result error) func(echo.Context, T) error {
	return func(echo.Context, T) error { tr.add(tag); return result }
}

// codedError is a status carrier of its own: an error with StatusCode().
type codedError struct {
	code int
	msg  string
}

func (e *codedError) Error() string   { return e.msg }
func (e *codedError) StatusCode() int { return e.code }

// temporary is an interface type for OnType.
type temporary interface {
	error
	Temporary() bool
}

// tempError implements temporary.
type tempError struct{ msg string }

func (e *tempError) Error() string   { return e.msg }
func (e *tempError) Temporary() bool { return true }

// wrapError wraps another error under its own type.
type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *wrapError) Unwrap() error { return e.err }

// logMessages returns the messages of the records logged so far.
func (h *logRecorder) Messages() []string {
	var out []string
	for _, r := range h.Records() {
		out = append(out, r.Message)
	}
	return out
}

// contextDeadline returns context.DeadlineExceeded.
func contextDeadline() error { return context.DeadlineExceeded }

// httpRecorder is the response recorder f.do returns.
type httpRecorder = httptest.ResponseRecorder

// assertContentLength checks that a Content-Length header, if any, is the
// body's length (Send leaves it to net/http except for HEAD; a stale one set
// before the error must be gone).
func assertContentLength(t testing.TB, rec *httptest.ResponseRecorder) {
	t.Helper()
	if v := rec.Header().Get(echo.HeaderContentLength); v != "" {
		assert.Equal(t, strconv.Itoa(rec.Body.Len()), v)
	}
}

// canceledRequest returns a GET request for target whose context is
// already done, as when the client went away.
func canceledRequest(target string) *http.Request {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx)
}

// requireOneLogRecord asserts that exactly one record was logged, at level,
// and returns its attributes.
func requireOneLogRecord(t *testing.T, f *fixture, level slog.Level) map[string]string {
	t.Helper()
	recs := f.Log.Records()
	require.Len(t, recs, 1, "one log record per error")
	require.Equal(t, level, recs[0].Level)
	return attrs(recs[0])
}
