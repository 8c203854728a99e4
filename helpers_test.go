package echoerr_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
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
