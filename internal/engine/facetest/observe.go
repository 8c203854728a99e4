package facetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/echoerr/echoerr/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The path of one error, step 6: one log record, one report.
func (s *suite) observe(t *testing.T) {
	t.Run("one record, at a level by class", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			err   error
			code  int
			check func(t *testing.T, l slog.Level)
		}{
			{"5xx at Error", errors.New("boom"), 500, func(t *testing.T, l slog.Level) { assert.Equal(t, slog.LevelError, l) }},
			{"503 at Error", context.DeadlineExceeded, 503, func(t *testing.T, l slog.Level) { assert.Equal(t, slog.LevelError, l) }},
			{"4xx below Error", s.f.NotFound(), 404, func(t *testing.T, l slog.Level) { assert.Less(t, l, slog.LevelError) }},
			{"a 4xx carrier below Error", &InvalidAPIUsage{Message: "m"}, 400, func(t *testing.T, l slog.Level) { assert.Less(t, l, slog.LevelError) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := s.failing(t, tc.err)
				assert.Equal(t, tc.code, e.get("/x").Code)
				r := e.record(t)
				tc.check(t, r.Level)
				assertStatusAttr(t, r, tc.code)
			})
		}
	})
	t.Run("a 5xx record holds the whole chain", func(t *testing.T) {
		e := s.failing(t, fmt.Errorf("outer context: %w", &Wrapper{Msg: "middle layer", Err: errors.New("root cause")}))
		e.get("/x")
		text := RecordText(e.record(t))
		for _, part := range []string{"outer context", "middle layer", "root cause", "*facetest.Wrapper"} {
			assert.Contains(t, text, part)
		}
	})
	t.Run("a record redacts the secret header values the error quotes", s.logRedaction)
	t.Run("the innermost links of a long chain are listed too", s.innermostLinks)
	t.Run("a deep chain gives a log record, a debug body and a report within the documented bounds", s.deepChains)
	t.Run("a stack is logged, the failing goroutine's only", s.stacks)
	t.Run("a wrapped panic of Echo's Recover shows the panicking goroutine's stack only", s.wrappedPanic)
	t.Run("reporters get the panic's frames, its stack and redacted text", s.reporterGlue)
	t.Run("the reporter is called once per 5xx by default", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			err      error
			reported bool
		}{
			{"500", errors.New("boom"), true},
			{"503", context.DeadlineExceeded, true},
			{"502 carrier", s.f.HTTPError(502, "Upstream."), true},
			{"404", s.f.NotFound(), false},
			{"400 carrier", &InvalidAPIUsage{Message: "m"}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := s.serve(t, App{
					Use:    []Middleware{Use(KindRequestLogger), Use(KindBodyDump)},
					Routes: []Endpoint{GET("/x", Fail(tc.err))},
				})
				code := e.get("/x").Code
				if !tc.reported {
					e.reports(t, 0)
					return
				}
				r := e.reports(t, 1)[0]
				assert.Equal(t, code, r.Code)
				assert.Equal(t, tc.err, r.Err, "the route's error")
				assert.NotEmpty(t, r.Name)
			})
		}
	})
	t.Run("a gone client on a real server: Debug, not reported, nothing written", s.goneOnTheWire)
	t.Run("a write that fails is logged once, at Error, and a closed connection is a gone client", s.failingWriters)
}

// goroutineHeader starts each goroutine of a Go stack dump.
var goroutineHeader = regexp.MustCompile(`goroutine (\d+) \[`)

// goroutines counts the distinct goroutines whose stacks text shows.
func goroutines(text string) int {
	ids := map[string]bool{}
	for _, m := range goroutineHeader.FindAllStringSubmatch(text, -1) {
		ids[m[1]] = true
	}
	return len(ids)
}

// stacks: a panic's stack reaches the log (and the debug page), never the
// public body, and it is the failing goroutine's only, not a dump of every
// goroutine (Echo's Recover collects all of them by default).
func (s *suite) stacks(t *testing.T) {
	for _, kind := range []MiddlewareKind{KindRecoverStack, KindRecover} {
		for _, debug := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/debug=%v", kind, debug), func(t *testing.T) {
				// Another goroutine is alive while the route panics, so that a
				// dump of every goroutine would show it.
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Add(1)
				go func() { defer wg.Done(); <-stop }()
				defer func() { close(stop); wg.Wait() }()

				e := s.serve(t, App{
					Options: []Option{s.f.WithDebug(debug)},
					Use:     []Middleware{Use(kind)},
					Routes:  []Endpoint{GET("/x", func(Ctx) error { panic("kaboom in route") })},
				})
				rec := e.get("/x")
				require.Equal(t, http.StatusInternalServerError, rec.Code)
				text := RecordText(e.record(t))
				assert.Contains(t, text, "kaboom in route")
				n := goroutines(text)
				if kind == KindRecoverStack {
					assert.Equal(t, 1, n, "the failing goroutine's stack only: %s", text)
				} else {
					assert.LessOrEqual(t, n, 1, "never every goroutine: %s", text)
				}
				body := rec.Body.String()
				if debug {
					assert.LessOrEqual(t, goroutines(body), 1, "the debug page shows the failing goroutine only")
				} else {
					assert.NotContains(t, body, "goroutine", "no stack in a public body")
					assert.NotContains(t, body, "kaboom", "no panic text in a public body")
				}
			})
		}
	}
}

// reporterGlue: what an error tracker needs from a reported panic is in
// reach: the panic's frames as program counters (a StackTrace() []uintptr
// method, which Sentry's SDK reads), innermost first and starting at the
// route that panicked; the stack echoerr logs (StackOf); and the error's
// text with the request's secrets redacted (Redact).
func (s *suite) reporterGlue(t *testing.T) {
	var got []Canonical
	var redacted []string
	rep := s.f.WithReporter(func(c Ctx, e Canonical) {
		got = append(got, e)
		redacted = append(redacted, s.f.Redact(c, "token tok-SECRET-42 and cookie v-SECRET-7 in "+e.Error()))
	})
	e := s.serve(t, App{
		Options: []Option{rep},
		Use:     []Middleware{Use(KindRecoverStack)},
		Routes:  []Endpoint{GET("/x", panickingRoute)},
	})
	req := newRequest(http.MethodGet, "/x")
	req.Header.Set("Authorization", "Bearer tok-SECRET-42")
	req.Header.Set("Cookie", "session=v-SECRET-7")
	require.Equal(t, http.StatusInternalServerError, e.serveReq(req).Code)
	require.Len(t, got, 1)

	var traced interface{ StackTrace() []uintptr }
	require.True(t, errors.As(got[0].Err, &traced), "the reported error carries program counters: %v", got[0].Err)
	frames := runtime.CallersFrames(traced.StackTrace())
	first, _ := frames.Next()
	assert.Contains(t, first.Function, "facetest.panickingRoute", "the innermost frame is the route that panicked")

	stack := s.f.StackOf(got[0].Err)
	assert.Contains(t, stack, "facetest.panickingRoute")
	assert.Equal(t, 1, goroutines(stack), "the failing goroutine only")
	assert.Equal(t, "", s.f.StackOf(errors.New("no stack")))

	require.Len(t, redacted, 1)
	assert.NotContains(t, redacted[0], "tok-SECRET-42")
	assert.NotContains(t, redacted[0], "v-SECRET-7")
	assert.Contains(t, redacted[0], "kaboom in route", "ordinary text is kept")
}

// panickingRoute panics; reporterGlue looks for it among the frames.
func panickingRoute(Ctx) error { panic("kaboom in route") }

// goneOnTheWire: the client hangs up while the route works; the route
// returns the request context's error. Nothing is written, one Debug
// record with status 499, no report. Synchronized by channels: the route
// signals that it started, the client cancels, the route sees its context
// done; the server-side wrapper signals when Echo has finished.
func (s *suite) goneOnTheWire(t *testing.T) {
	started := make(chan struct{})
	e := s.serve(t, App{Routes: []Endpoint{GET("/slow", func(c Ctx) error {
		close(started)
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})}})
	served := make(chan *wireWriter, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := &wireWriter{ResponseWriter: w}
		defer func() { served <- ww }()
		e.h.ServeHTTP(ww, r)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/slow", nil)
	require.NoError(t, err)
	go func() {
		<-started
		cancel()
	}()
	_, err = srv.Client().Do(req)
	require.ErrorIs(t, err, context.Canceled)
	ww := <-served
	assert.False(t, ww.wrote, "nothing was written to the gone client")
	r := e.record(t)
	assert.Equal(t, slog.LevelDebug, r.Level)
	assertStatusAttr(t, r, StatusClientClosedRequest)
	e.reports(t, 0)
}

// wireWriter notes whether the handler wrote anything. It unwraps, as a
// well-behaved wrapper does, so that the engine can see the connection
// close: behind a writer that hides it, a client gone cannot be told from a
// context cancelled by middleware, and is answered as a server failure.
type wireWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *wireWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *wireWriter) WriteHeader(code int) { w.wrote = true; w.ResponseWriter.WriteHeader(code) }

func (w *wireWriter) Write(b []byte) (int, error) { w.wrote = true; return w.ResponseWriter.Write(b) }

// logRedaction: invariant 4, nothing leaks. The values of Authorization,
// Proxy-Authorization and Cookie (request) and Set-Cookie (response), in
// any letter case and over several header lines, are hidden in every text
// of the log record that may quote them: the error, its chain, a stack, a
// handler's failure and a panic.
func (s *suite) logRedaction(t *testing.T) {
	const (
		bearer = "bearer-7f3a9c1e55"
		proxy  = "proxy-2b8d4e6f01"
		cookie = "sess-9a8b7c6d5e"
		set    = "fresh-1c2d3e4f5a"
	)
	quoted := fmt.Sprintf("upstream saw %q, %s, %s and %s", "Bearer "+bearer, proxy, cookie, set)
	routes := []Endpoint{
		GET("/error", Fail(fmt.Errorf("call: %w", errors.New(quoted)))),
		GET("/handler", Fail(errors.New("first"))),
		GET("/panic", Fail(s.f.HTTPError(http.StatusTeapot, "tea"))),
	}
	e := s.serve(t, App{
		Options: []Option{
			s.f.OnCode(http.StatusInternalServerError, func(c Ctx, err error) error {
				if c.Request().URL.Path == "/handler" {
					return errors.New("handler failed: " + quoted)
				}
				return err
			}),
			s.f.OnCode(http.StatusTeapot, func(Ctx, error) error { panic("handler panicked: " + quoted) }),
		},
		Use: []Middleware{Func(func(next Route) Route {
			return func(c Ctx) error {
				c.Header()["set-cookie"] = []string{"id=" + set + "; Path=/"} // a map key as written
				return next(c)
			}
		})},
		Routes: routes,
	})
	for _, path := range []string{"/error", "/handler", "/panic"} {
		t.Run(path, func(t *testing.T) {
			e.Log.Reset()
			req := newRequest(http.MethodGet, path, "authorization: Bearer "+bearer, "PROXY-AUTHORIZATION: "+proxy)
			req.Header["cookie"] = []string{"lang=en", "session=" + cookie}
			rec := e.serveReq(req)
			require.GreaterOrEqual(t, rec.Code, 500)
			text := RecordText(e.record(t))
			for _, secret := range []string{bearer, proxy, cookie, set} {
				assert.NotContains(t, text, secret)
			}
			assert.Contains(t, text, "[redacted]", "the record still says where a secret was")
			assert.Contains(t, text, "upstream saw", "the rest of the text is kept")
		})
	}
}

// failWriter is a ResponseWriter whose body writes fail with err, or
// panic.
type failWriter struct {
	*httptest.ResponseRecorder
	panics bool
	err    error // errors.New("write: broken pipe") when nil
}

func (w *failWriter) Write([]byte) (int, error) {
	if w.panics {
		panic("facetest: writer panicked")
	}
	if w.err != nil {
		return 0, w.err
	}
	return 0, errors.New("write: broken pipe")
}

// failingWriters: a connection that breaks while the error is written is
// logged once, as an error, and nothing escapes.
func (s *suite) failingWriters(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panics=%v", panics), func(t *testing.T) {
			e := s.failing(t, errors.New("boom"))
			for _, path := range []string{"/x", "/missing"} {
				e.Log.Reset()
				w := &failWriter{ResponseRecorder: httptest.NewRecorder(), panics: panics}
				serveOrFail(t, e.h, w, newRequest(http.MethodGet, path))
				r := e.record(t)
				assert.Equal(t, slog.LevelError, r.Level, "a failed write is an error, whatever the status")
			}
			assert.Equal(t, http.StatusNotFound, e.get("/nope").Code, "the server lives")
		})
	}
	// Invariant 2: a client that went away is not logged as an error. A
	// write that fails because the connection was closed or reset is the
	// client gone, found while writing: 499, at Debug, not reported.
	// So is a write refused with context.Canceled on a request whose
	// context was cancelled: http.TimeoutHandler's writer, once net/http
	// cancelled the request for a closed connection.
	t.Run("a connection the client closed is a gone client, not a failure", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			err      error
			canceled bool
		}{
			{"EPIPE", &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}, false},
			{"ECONNRESET", &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}, false},
			{"context.Canceled on a cancelled request", context.Canceled, true},
		} {
			e := s.failing(t, errors.New("boom"))
			w := &failWriter{ResponseRecorder: httptest.NewRecorder(), err: tc.err}
			req := newRequest(http.MethodGet, "/x")
			if tc.canceled {
				ctx, cancel := context.WithCancel(req.Context())
				cancel()
				req = req.WithContext(ctx)
			}
			serveOrFail(t, e.h, w, req)
			r := e.record(t)
			assert.Equal(t, slog.LevelDebug, r.Level, "%s: %s", tc.name, RecordText(r))
			assertStatusAttr(t, r, StatusClientClosedRequest)
			e.reports(t, 0)
		}
	})
}

// layer is one link of a chain of any depth whose every link's text holds
// the whole tail, as fmt.Errorf's %w makes it, computed when asked for:
// a 10 000-deep fmt.Errorf chain would hold 600 MB of text.
type layer struct {
	n    int
	next error
}

func (l *layer) Error() string {
	var b strings.Builder
	for link := l; ; {
		b.WriteString("layer " + strconv.Itoa(link.n) + ": ")
		next, ok := link.next.(*layer)
		if !ok {
			b.WriteString(link.next.Error())
			return b.String()
		}
		link = next
	}
}

func (l *layer) Unwrap() error { return l.next }

// chainBound is the most bytes a listed chain takes, by the engine's
// documented bounds: MaxChainLinks links of MaxLinkText bytes, each with a
// type name and a note, and the note of the links left out.
const chainBound = (engine.MaxChainLinks + 1) * (engine.MaxLinkText + 256)

// deepChains holds invariant 3: a chain 1 500 or 10 000 links deep, each
// link's text repeating the whole tail, gives a log record, a debug body
// and a report within the documented bounds (MaxChainLinks links of
// MaxLinkText bytes, the error's text cut at MaxErrorText), not the
// square of its depth.
func (s *suite) deepChains(t *testing.T) {
	wrapped := errors.New("root cause")
	for i := range 1500 {
		wrapped = fmt.Errorf("wrapper %d: %w", i, wrapped)
	}
	var deep error = errors.New("deep root")
	for i := range 10000 {
		deep = &layer{n: i, next: deep}
	}
	bound := chainBound + engine.MaxErrorText + 8<<10 // the record's other attributes
	for name, err := range map[string]error{"1 500 links of %w": wrapped, "10 000 links": deep} {
		for _, rc := range []rendererCase{{"JSON", s.f.JSON(), ""}, {"HTML", s.f.HTML(nil), ""}} {
			t.Run(name+"/"+rc.name, func(t *testing.T) {
				e := s.serve(t, App{
					Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(rc.r)},
					Routes:  []Endpoint{GET("/x", Fail(err))},
				})
				rec := e.get("/x")
				require.Equal(t, http.StatusInternalServerError, rec.Code)
				assert.Contains(t, rec.Body.String(), "links left out", "the chain says what it left out")
				assert.Less(t, rec.Body.Len(), bound+64<<10, "the debug body, beside the page itself")
				assert.Less(t, renderedSize(t, e.record(t)), bound, "the log record, rendered as JSON")
				d := e.reports(t, 1)[0].Debug
				require.NotNil(t, d, "the report carries the debug detail")
				assert.LessOrEqual(t, len(d.Chain), engine.MaxChainLinks+1, "links listed")
				assert.Less(t, len(d.Report()), bound, "the copy-report text")
			})
		}
	}
}

// innermostLinks holds invariant 3 without losing the root cause: a chain
// longer than the listed links, within the links echoerr walks, lists its
// innermost links too, in the body and the log.
func (s *suite) innermostLinks(t *testing.T) {
	err := errors.New("root cause")
	for i := range 600 {
		err = fmt.Errorf("wrapper %d: %w", i, err)
	}
	e := s.failing(t, err, s.f.WithDebug(true), s.f.WithRenderer(s.f.JSON()))
	body := e.get("/x").Body.String()
	assert.Contains(t, body, "root cause")
	assert.Contains(t, body, "links left out")
	assert.Contains(t, RecordText(e.record(t)), "root cause")
}

// renderedSize is the size of r written by slog's JSON handler.
func renderedSize(t testing.TB, r slog.Record) int {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, slog.NewJSONHandler(&b, nil).Handle(context.Background(), r))
	return b.Len()
}

// wrappedPanic holds invariant 4: no stack other than the failing
// goroutine's appears anywhere, even when middleware wraps the error of
// Echo's own Recover (Echo v5's PanicStackError, whose text holds a dump
// of every goroutine by default) in an error of its own, and another
// goroutine is parked where such a dump would show it. The panic's value
// is still told.
func (s *suite) wrappedPanic(t *testing.T) {
	parked := make(chan struct{})
	go func() { <-parked }()
	defer close(parked)
	wrap := Func(func(next Route) Route {
		return func(c Ctx) error {
			if err := next(c); err != nil {
				return fmt.Errorf("outer middleware: %w", err)
			}
			return nil
		}
	})
	for _, rc := range s.allRenderers() {
		t.Run(rc.name, func(t *testing.T) {
			e := s.serve(t, App{
				Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(rc.r)},
				Use:     []Middleware{wrap, Use(KindRecover)},
				Routes:  []Endpoint{GET("/x", func(Ctx) error { panic("route-panic-value") })},
			})
			body := e.get("/x").Body.String()
			assert.LessOrEqual(t, goroutines(body), 1, "goroutines in the body: %s", body)
			assert.Contains(t, body, "route-panic-value", "the panic's value, in debug mode")
			text := RecordText(e.record(t))
			assert.LessOrEqual(t, goroutines(text), 1, "goroutines in the log record: %s", text)
			assert.Contains(t, text, "route-panic-value", "the panic's value, in the log")
			d := e.reports(t, 1)[0].Debug
			require.NotNil(t, d, "the report carries the debug detail")
			report := d.Report() + d.Stack
			for _, l := range d.Chain {
				report += "\n" + l.Message
			}
			assert.LessOrEqual(t, goroutines(report), 1, "goroutines in the report: %s", report)
		})
	}
}
