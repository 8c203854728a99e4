package echoerr_test

import (
	"context"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

// Faults: the parts around the error handler fail — the connection, the
// client, user handlers, renderers, the logger, the reporter. Each test
// proves the server keeps answering and the failure is logged once.

// realServer is an Echo app behind a real loopback HTTP server.
type realServer struct {
	*httptest.Server
}

func newRealServer(t *testing.T, e *echo.Echo) *realServer {
	t.Helper()
	s := httptest.NewServer(e)
	t.Cleanup(s.Close)
	return &realServer{s}
}

// get requests path and returns the response and its whole body.
func (s *realServer) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	res, err := s.Client().Get(s.URL + path)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

// failingWriter is a ResponseWriter whose writes fail, as on a connection
// that broke.
type failingWriter struct {
	*httptest.ResponseRecorder
}

func (w failingWriter) Write([]byte) (int, error) { return 0, errors.New("write: broken pipe") }

func TestFaultResponseWriterWritesFail(t *testing.T) {
	f := newFixture(t)
	f.failWith("/x", errors.New("boom"))
	for path, code := range map[string]int{"/x": http.StatusInternalServerError, "/nope": http.StatusNotFound} {
		w := failingWriter{httptest.NewRecorder()}
		f.E.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		assert.Equal(t, code, w.Code, "the status went out before the body failed")
	}
	recs := f.Log.Records()
	require.Len(t, recs, 2, "each failure logged once")
	for _, r := range recs {
		assert.Equal(t, slog.LevelError, r.Level, "a failed write is an error, whatever the status")
		assert.Contains(t, attrs(r)["render_error"], "broken pipe")
	}
	assert.Len(t, f.Reports.Reports(), 1, "only the 5xx is reported")
}

func TestFaultClientDisconnectsMidRequest(t *testing.T) {
	f := newFixture(t)
	started := make(chan struct{})
	done := make(chan int, 1) // the status Echo recorded, once the handler returned
	f.E.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			c.Error(err) // as Echo's Logger middleware does
			done <- c.Response().Status
			return err
		}
	})
	f.E.GET("/slow", func(c echo.Context) error {
		close(started)
		<-c.Request().Context().Done() // the work notices the client left
		return c.Request().Context().Err()
	})
	srv := newRealServer(t, f.E)

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/slow", nil)
	require.NoError(t, err)
	go func() {
		<-started
		cancel() // hang up while the route is working
	}()
	_, err = srv.Client().Do(req)
	require.ErrorIs(t, err, context.Canceled)

	assert.Equal(t, httperr.StatusClientClosedRequest, <-done, "499 recorded for access logs")
	recs := f.Log.Records()
	require.Len(t, recs, 1)
	assert.Equal(t, slog.LevelDebug, recs[0].Level, "a gone client is not an error")
	assert.Equal(t, "499", attrs(recs[0])["status"])
	assert.Empty(t, f.Reports.Reports(), "a gone client is not reported")
}

// requirePanicAnswered asserts the minimal 500 that answers a panic in
// error handling, one Error record that names the panic, and one report.
func requirePanicAnswered(t *testing.T, f *fixture, rec *httptest.ResponseRecorder, panicText string) {
	t.Helper()
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, "500 Internal Server Error\n", rec.Body.String())
	assert.Equal(t, echo.MIMETextPlainCharsetUTF8, rec.Header().Get("Content-Type"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	a := requireOneLogRecord(t, f, slog.LevelError)
	assert.Contains(t, a["panic"], panicText)
	assert.NotEmpty(t, a["panic_stack"])
	assert.Len(t, f.Reports.Reports(), 1)
}

func TestFaultPanickingHandler(t *testing.T) {
	f := newFixture(t, echoerr.OnCode(http.StatusNotFound, func(echo.Context, error) error {
		panic("handler exploded")
	}))
	requirePanicAnswered(t, f, f.do(http.MethodGet, "/nope"), "handler exploded")
}

// panickingRenderer panics, optionally after writing the status.
type panickingRenderer struct{ writeFirst bool }

func (r panickingRenderer) Render(c echo.Context, e *echoerr.Error) error {
	if r.writeFirst {
		c.Response().WriteHeader(e.Code)
	}
	panic("renderer exploded")
}

func TestFaultPanickingRenderer(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(panickingRenderer{}))
	requirePanicAnswered(t, f, f.do(http.MethodGet, "/nope"), "renderer exploded")
}

func TestFaultRendererPanicsAfterWritingStatus(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(panickingRenderer{writeFirst: true}))
	rec := f.do(http.MethodGet, "/nope")
	require.Equal(t, http.StatusNotFound, rec.Code, "the status already sent stands")
	assert.Empty(t, rec.Body.String(), "nothing more is written")
	a := requireOneLogRecord(t, f, slog.LevelError)
	assert.Contains(t, a["panic"], "renderer exploded")
}

// panickingLogHandler is a slog.Handler whose Handle panics.
type panickingLogHandler struct{}

func (panickingLogHandler) Enabled(context.Context, slog.Level) bool { return true }
func (panickingLogHandler) Handle(context.Context, slog.Record) error {
	panic("log handler exploded")
}
func (h panickingLogHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h panickingLogHandler) WithGroup(string) slog.Handler      { return h }

func TestFaultPanickingLogHandler(t *testing.T) {
	f := newFixture(t, echoerr.WithLogger(slog.New(panickingLogHandler{})))
	f.failWith("/x", errors.New("boom"))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, float64(500), decodeJSON(t, rec.Body)["code"], "the response is whole")
	assert.Len(t, f.Reports.Reports(), 1, "the reporter still runs")
	rec = f.do(http.MethodGet, "/x")
	assert.Equal(t, http.StatusInternalServerError, rec.Code, "the server keeps answering")
}

func TestFaultPanickingReporter(t *testing.T) {
	f := newFixture(t, echoerr.WithReporter(func(echo.Context, *echoerr.Error) { panic("reporter exploded") }))
	f.failWith("/x", errors.New("boom"))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, float64(500), decodeJSON(t, rec.Body)["code"], "the response is whole")
	recs := f.Log.Records()
	require.Len(t, recs, 2, "the error, then the reporter's panic")
	assert.Equal(t, "request failed", recs[0].Message)
	assert.Equal(t, "echoerr: reporter panicked", recs[1].Message)
	assert.Contains(t, attrs(recs[1])["panic"], "reporter exploded")
}

// TestFaultSlowReporterBlocksEndOfRequest shows that the reporter runs on
// the request's goroutine after the response was written to Echo, and that
// the request does not end before it returns.
func TestFaultSlowReporterBlocksEndOfRequest(t *testing.T) {
	inReporter := make(chan [2]bool, 1)
	f := newFixture(t, echoerr.WithReporter(func(c echo.Context, e *echoerr.Error) {
		inReporter <- [2]bool{c.Response().Committed, c.Get("request ended") != nil}
	}))
	f.E.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			c.Error(err)
			c.Set("request ended", true)
			return nil
		}
	})
	f.failWith("/x", errors.New("boom"))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	seen := <-inReporter
	assert.True(t, seen[0], "the response was written before the reporter ran")
	assert.False(t, seen[1], "the reporter ran before the request ended")
}

// TestFaultSlowReporterOffloadedDoesNotBlock shows the way to keep a slow
// reporter off the request: copy what it needs, then send from a goroutine.
// The send is held until the client has its response, so a reporter that
// blocked the request would deadlock this test.
func TestFaultSlowReporterOffloadedDoesNotBlock(t *testing.T) {
	release := make(chan struct{})
	sent := make(chan string, 1)
	f := newFixture(t, echoerr.WithReporter(func(c echo.Context, e *echoerr.Error) {
		path := c.Request().URL.Path // c is recycled after the request: copy first
		go func() {
			<-release // a slow network call
			sent <- path + " " + e.Name
		}()
	}))
	f.failWith("/x", errors.New("boom"))
	srv := newRealServer(t, f.E)
	res, _ := srv.get(t, "/x")
	require.Equal(t, http.StatusInternalServerError, res.StatusCode, "the client has its answer")
	close(release)
	assert.Equal(t, "/x Internal Server Error", <-sent, "the report still goes out")
}

// templateFuncs returns functions for a user page: fail returns an error
// and boom panics, both only for a 404, so that the page passes the check
// HTML() runs with sample data and fails at request time.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"fail": func(code int) (string, error) {
			if code == http.StatusNotFound {
				return "", errors.New("backend for the page is down")
			}
			return "", nil
		},
		"boom": func(code int) string {
			if code == http.StatusNotFound {
				panic("template func exploded")
			}
			return ""
		},
	}
}

func TestFaultTemplateFailingAtRequestTimeSendsNoHalfPage(t *testing.T) {
	for name, page := range map[string]string{
		"error":  `<html><body><h1>{{.Name}}</h1>{{fail .Code}}</body></html>`,
		"panics": `<html><body><h1>{{.Name}}</h1>{{boom .Code}}</body></html>`,
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"error.html": {Data: []byte(page)}}
			f := newFixture(t, echoerr.WithRenderer(echoerr.HTML(echoerr.TemplateFS(fsys), echoerr.TemplateFuncs(templateFuncs()))))
			rec := f.do(http.MethodGet, "/nope")
			require.Equal(t, http.StatusNotFound, rec.Code, "the status is kept")
			assert.Equal(t, "404 Not Found\n", rec.Body.String(), "a minimal page, not half a page")
			a := requireOneLogRecord(t, f, slog.LevelError)
			assert.Contains(t, a["render_error"], "error.html")
		})
	}
}
