package facetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// suite is one run of the behaviour suite against a face.
type suite struct {
	f    Face
	caps Capabilities
}

// env is one Echo built by the face, with the suite's recorders installed
// first in its options: every record and report of the application scope
// lands here.
type env struct {
	t       testing.TB
	s       *suite
	h       http.Handler
	Log     *LogRecorder
	Reports *ReportRecorder
	EchoLog *syncBuffer
}

// serve builds app with the suite's logger and reporter.
func (s *suite) serve(t testing.TB, app App) *env {
	t.Helper()
	e := &env{t: t, s: s, Log: &LogRecorder{}, Reports: &ReportRecorder{}, EchoLog: &syncBuffer{}}
	app.Options = append([]Option{s.f.WithLogger(e.Log.Logger()), s.f.WithReporter(e.Reports.Report)}, app.Options...)
	if app.EchoLog == nil {
		app.EchoLog = e.EchoLog
	}
	e.h = s.f.Serve(t, app)
	require.NotNil(t, e.h, "Serve returned no handler")
	return e
}

// failing builds an app whose GET /x returns err.
func (s *suite) failing(t testing.TB, err error, opts ...Option) *env {
	t.Helper()
	return s.serve(t, App{Options: opts, Routes: []Endpoint{GET("/x", Fail(err))}})
}

// do serves one request; headers are "Name: value" strings.
func (e *env) do(method, target string, headers ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.serveReq(newRequest(method, target, headers...))
}

// get serves a GET request.
func (e *env) get(target string, headers ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do(http.MethodGet, target, headers...)
}

// serveReq serves req through the app and fails the test if a panic
// escapes: the server must live.
func (e *env) serveReq(req *http.Request) (rec *httptest.ResponseRecorder) {
	e.t.Helper()
	rec = httptest.NewRecorder()
	serveOrFail(e.t, e.h, rec, req)
	return rec
}

// serveOrFail calls h.ServeHTTP and fails t when it panics.
func serveOrFail(t testing.TB, h http.Handler, w http.ResponseWriter, req *http.Request) {
	t.Helper()
	panicked, p := func() (panicked bool, p any) {
		defer func() {
			if p = recover(); p != nil {
				panicked = true
			}
		}()
		h.ServeHTTP(w, req)
		return false, nil
	}()
	if panicked {
		t.Fatalf("a panic escaped the application for %s %s: %v", req.Method, req.URL, p)
	}
}

func newRequest(method, target string, headers ...string) *http.Request {
	req := httptest.NewRequest(method, target, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return req
}

// records requires n log records and returns them.
func (e *env) records(t testing.TB, n int) []slog.Record {
	t.Helper()
	recs := e.Log.Records()
	require.Len(t, recs, n, "log records: %s", recordsText(recs))
	return recs
}

// record requires exactly one log record and returns it.
func (e *env) record(t testing.TB) slog.Record {
	t.Helper()
	return e.records(t, 1)[0]
}

// reports requires n reports and returns them.
func (e *env) reports(t testing.TB, n int) []Canonical {
	t.Helper()
	r := e.Reports.Reports()
	require.Len(t, r, n, "reports")
	return r
}

func recordsText(recs []slog.Record) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "\n[%v] %s", r.Level, strings.ReplaceAll(RecordText(r), "\n", " "))
	}
	return b.String()
}

// assertStatusAttr checks the record's "status" attribute.
func assertStatusAttr(t testing.TB, r slog.Record, code int) {
	t.Helper()
	v, ok := RecordAttr(r, "status")
	if assert.True(t, ok, "the record has a status attribute: %s", RecordText(r)) {
		assert.Equal(t, fmt.Sprint(code), v, "the status logged")
	}
}

// assertSafety checks the safety headers every error response carries.
func assertSafety(t testing.TB, h http.Header) {
	t.Helper()
	assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), "X-Content-Type-Options")
	assert.Equal(t, "no-store", h.Get("Cache-Control"), "Cache-Control")
}

// jsonBody decodes a JSON object body.
func jsonBody(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m), "a JSON object: %q", rec.Body.String())
	return m
}

// desc is the default public description of code, as the face gives it to
// an *Error that has only a Code.
func (s *suite) desc(code int) string {
	return s.f.FromError(s.f.NewError(Canonical{Code: code})).Description
}

// name is the name of code, as the face fills it in.
func (s *suite) name(code int) string {
	return s.f.FromError(s.f.NewError(Canonical{Code: code})).Name
}

// defaultJSON is the JSON renderer's body for an error with nothing but
// its status's defaults.
func (s *suite) defaultJSON(code int) map[string]any {
	return map[string]any{"code": float64(code), "name": s.name(code), "description": s.desc(code)}
}

// adjust is a handler's fe := FromError(err); edit(&fe); return fe.
func (s *suite) adjust(err error, edit func(fe *Canonical)) error {
	fe := s.f.FromError(err)
	edit(&fe)
	return s.f.NewError(fe)
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// childEnv tells a re-executed test binary which test to run for real.
const childEnv = "FACETEST_CHILD"

// isolated runs body in a child process (the test binary again, running
// only this test), for cases whose failure would kill the whole process:
// a recursion that overflows the stack is beyond any recover. The child's
// stack is capped so that such a failure is quick and small.
func isolated(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		debug.SetMaxStack(64 << 20)
		body(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run="+runPattern(t.Name()), "-test.count=1", "-test.v", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	text := string(out)
	if len(text) > 8000 {
		text = text[:4000] + "\n[...]\n" + text[len(text)-4000:]
	}
	require.NoError(t, err, "the child process failed (a crash fails the test, not the run):\n%s", text)
	require.Contains(t, string(out), "--- PASS: "+t.Name(), "the child ran the test:\n%s", text)
}

// runPattern is a -test.run pattern matching exactly the test name.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// getOnWire sends GET path to srv, a real server on loopback, and returns
// the response and its whole body.
func getOnWire(t testing.TB, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + path)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, body
}

// assertSameError checks that got is want itself: the same pointer when
// want is one, else an equal value.
func assertSameError(t testing.TB, want, got error, msg string) {
	t.Helper()
	if reflect.ValueOf(want).Kind() == reflect.Pointer {
		assert.Same(t, want, got, msg)
		return
	}
	assert.Equal(t, want, got, msg)
}
