package facetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The path of one error, step 1: entry. Each request's error is handled
// exactly once, whatever Echo's middleware does, and nothing in error
// handling crashes the server.
func (s *suite) entry(t *testing.T) {
	t.Run("exactly once with Echo's middleware", s.exactlyOnce)
	t.Run("c.Error then return of the same error is handled once", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{GET("/x", func(c Ctx) error {
			err := errors.New("boom")
			c.Error(err)
			return err
		})}})
		rec := e.get("/x")
		assert.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec))
		e.record(t)
		e.reports(t, 1)
	})
	t.Run("middleware that calls c.Error itself sees the final status", func(t *testing.T) {
		type seen struct {
			status    int
			committed bool
		}
		var got []seen
		observer := Func(func(next Route) Route {
			return func(c Ctx) error {
				err := next(c)
				if err != nil {
					c.Error(err) // as Echo's Logger middleware does
				}
				got = append(got, seen{c.Status(), c.Committed()})
				return err
			}
		})
		e := s.serve(t, App{Use: []Middleware{observer}, Routes: []Endpoint{
			GET("/x", Fail(s.f.HTTPError(http.StatusConflict, "Taken."))),
			GET("/gone", Fail(context.Canceled)),
		}})
		rec := e.get("/x")
		require.Equal(t, http.StatusConflict, rec.Code)
		assert.Equal(t, "Taken.", jsonBody(t, rec)["description"])
		e.serveReq(goneRequest(newRequest(http.MethodGet, "/gone")))
		// A gone client's response is not written; whether Echo counts it
		// committed is the face's choice (Echo v5's does, so that
		// echo.ResolveResponseStatus reports the 499).
		require.Len(t, got, 2)
		assert.Equal(t, seen{http.StatusConflict, true}, got[0])
		assert.Equal(t, StatusClientClosedRequest, got[1].status)
		e.records(t, 2)
	})
	t.Run("a second distinct error is logged and reported, not rendered", func(t *testing.T) {
		for _, withRequestLogger := range []bool{false, true} {
			t.Run(fmt.Sprintf("RequestLogger=%v", withRequestLogger), func(t *testing.T) {
				var use []Middleware
				if withRequestLogger {
					use = []Middleware{Use(KindRequestLogger)} // it passes each error on twice
				}
				first := s.f.HTTPError(http.StatusConflict, "First.")
				second := errors.New("second failure")
				e := s.serve(t, App{Use: use, Routes: []Endpoint{
					GET("/x", func(c Ctx) error {
						c.Error(first)
						return second
					}),
					GET("/same", func(c Ctx) error {
						c.Error(first)
						return first
					}),
				}})
				rec := e.get("/x")
				require.Equal(t, http.StatusConflict, rec.Code, "the first error's response stands")
				assert.Equal(t, map[string]any{"code": 409.0, "name": "Conflict", "description": "First."}, jsonBody(t, rec), "its response only")
				recs := e.records(t, 2)
				assertStatusAttr(t, recs[0], http.StatusConflict)
				assert.Equal(t, slog.LevelError, recs[1].Level, "the second error is a server failure")
				assert.Contains(t, RecordText(recs[1]), "second failure")
				assertStatusAttr(t, recs[1], http.StatusConflict) // the status the client got
				v, ok := RecordAttr(recs[1], "error_status")
				assert.True(t, ok, "and the second error's own: %s", RecordText(recs[1]))
				assert.Equal(t, "500", v)
				reps := e.reports(t, 1)
				assert.Same(t, second, reps[0].Err, "the 5xx is reported")

				rec = e.get("/same")
				require.Equal(t, http.StatusConflict, rec.Code)
				e.records(t, 3) // the same error again does nothing
				e.reports(t, 1)
			})
		}
	})
	t.Run("a partly written route is logged and reported once", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{GET("/x", func(c Ctx) error {
			c.WriteHeader(http.StatusOK)
			_, _ = c.Write([]byte("part"))
			return errors.New("broke after writing")
		})}})
		rec := e.get("/x")
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "part", rec.Body.String(), "nothing is added to a committed response")
		assert.Contains(t, RecordText(e.record(t)), "broke after writing")
		e.reports(t, 1)
		assert.NotContains(t, e.EchoLog.String(), "committed", "nothing tried to write again")
	})
	t.Run("Echo's Proxy: an unreachable upstream is one 502", func(t *testing.T) {
		// Nothing listens on port 1 of the loopback interface: the dial is
		// refused at once.
		e := s.serve(t, App{Use: []Middleware{{Kind: KindProxy, Upstream: "http://127.0.0.1:1"}}})
		rec := e.get("/anything")
		require.Equal(t, http.StatusBadGateway, rec.Code)
		assertSafety(t, rec.Header())
		assert.Equal(t, "Bad Gateway", jsonBody(t, rec)["name"])
		assert.Equal(t, slog.LevelError, e.record(t).Level)
		e.reports(t, 1)
	})
	t.Run("panics in error handling answer a minimal safe 500", s.panics)
	t.Run("typed-nil and panicking errors", s.typedNil)
	t.Run("an error wrapped by middleware after it was handled is handled once", s.wrappedRepeats)
	t.Run("a panicking JSON serializer gets the minimal 500 and the server lives", s.panickingSerializer)
	t.Run("http.ErrAbortHandler aborts the connection", s.abortHandler)
	t.Run("hostile errors on a real server are answered, and the server lives", s.lives)
}

// onceProbe records what Echo's middleware saw of one request.
type onceProbe struct {
	mu       sync.Mutex
	bodies   []string
	statuses []int
	access   syncBuffer
}

func (p *onceProbe) middleware(kind MiddlewareKind) Middleware {
	switch kind {
	case KindBodyDump:
		return Middleware{Kind: kind, Body: func(b []byte) {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.bodies = append(p.bodies, string(b))
		}}
	case KindRequestLogger:
		return Middleware{Kind: kind, Status: func(status int) {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.statuses = append(p.statuses, status)
		}}
	case KindLogger:
		return Middleware{Kind: kind, Out: &p.access}
	}
	return Use(kind)
}

// exactlyOnce: with Echo's Logger, Recover, BodyDump and RequestLogger
// (HandleError: true), alone and together, a failing route, a panicking
// route, a partly written route, a routing 404 and a gone client each get
// one response, one log record and the right number of reports. BodyDump
// and RequestLogger make Echo call the handler twice; Logger and Recover
// call it themselves.
func (s *suite) exactlyOnce(t *testing.T) {
	stacks := [][]MiddlewareKind{
		{KindRecover},
		{KindBodyDump},
		{KindRequestLogger},
		{KindRequestLogger, KindBodyDump, KindRecover},
	}
	if s.caps.AccessLogMiddleware {
		stacks = append(stacks, []MiddlewareKind{KindLogger}, []MiddlewareKind{KindRequestLogger, KindLogger, KindBodyDump, KindRecover})
	}
	routes := []struct {
		path     string
		code     int    // on the wire; 0: nothing written
		body     string // exact body; "" means the default JSON body for code
		reported int
		status   int // what access logs see
	}{
		{"/fail", 500, "", 1, 500},
		{"/panic", 500, "", 1, 500},
		{"/partial", 200, "part", 1, 200},
		{"/missing", 404, "", 0, 404},
		{"/gone", 0, "", 0, StatusClientClosedRequest},
	}
	for _, stack := range stacks {
		for _, rt := range routes {
			kinds := stack
			if rt.path == "/panic" && !hasKind(kinds, KindRecover) {
				kinds = append(append([]MiddlewareKind(nil), kinds...), KindRecover)
			}
			name := fmt.Sprint(kinds) + rt.path
			t.Run(name, func(t *testing.T) {
				p := &onceProbe{}
				var mws []Middleware
				for _, k := range kinds {
					mws = append(mws, p.middleware(k))
				}
				e := s.serve(t, App{Use: mws, Routes: []Endpoint{
					GET("/fail", Fail(errors.New("boom"))),
					GET("/panic", func(Ctx) error { panic("kaboom") }),
					GET("/gone", Fail(fmt.Errorf("query: %w", context.Canceled))),
					GET("/partial", func(c Ctx) error {
						c.WriteHeader(http.StatusOK)
						_, _ = c.Write([]byte("part"))
						return errors.New("broke after writing")
					}),
				}})
				req := newRequest(http.MethodGet, rt.path)
				if rt.path == "/gone" {
					req = goneRequest(req)
				}
				w := newWire()
				serveOrFail(t, e.h, w, req)
				body := w.Body.String()
				if rt.code == 0 {
					assert.False(t, w.wrote(), "nothing is written for a gone client")
				} else {
					require.Equal(t, rt.code, w.Code)
					if rt.body == "" {
						assert.Equal(t, s.defaultJSON(rt.code), jsonBody(t, w.ResponseRecorder), "one response body, written once")
					} else {
						assert.Equal(t, rt.body, body)
					}
				}
				assert.NotContains(t, e.EchoLog.String(), "committed", "nothing tried to write twice")
				e.records(t, 1)
				e.reports(t, rt.reported)
				for _, k := range kinds {
					switch k {
					case KindBodyDump:
						if s.caps.BodyDumpSeesErrorBody || rt.path == "/partial" {
							assert.Equal(t, []string{body}, p.bodies, "BodyDump saw the body once")
						} else {
							assert.Equal(t, []string{""}, p.bodies, "BodyDump ran once, before the error response")
						}
					case KindRequestLogger:
						assert.Equal(t, []int{rt.status}, p.statuses, "RequestLogger logged once, with the status of the response")
					case KindLogger:
						assert.Equal(t, strconv.Itoa(rt.status)+"\n", p.access.String(), "Logger logged once")
					}
				}
			})
		}
	}
	t.Run("per request, not per handler", func(t *testing.T) {
		e := s.serve(t, App{Use: []Middleware{Use(KindBodyDump)}})
		for i := 1; i <= 3; i++ {
			rec := e.get("/missing")
			require.Equal(t, http.StatusNotFound, rec.Code)
			assert.Equal(t, s.defaultJSON(404), jsonBody(t, rec))
			e.records(t, i)
		}
	})
}

func hasKind(kinds []MiddlewareKind, k MiddlewareKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// goneRequest returns req with a context that is done: its client went
// away.
func goneRequest(req *http.Request) *http.Request {
	ctx, cancel := context.WithCancel(req.Context())
	cancel()
	return req.WithContext(ctx)
}

// wire is a recorder that notes whether anything was written at all.
type wire struct {
	*httptest.ResponseRecorder
	wroteHeader, wroteBody bool
}

func newWire() *wire { return &wire{ResponseRecorder: httptest.NewRecorder()} }

func (w *wire) WriteHeader(code int) {
	w.wroteHeader = true
	w.ResponseRecorder.WriteHeader(code)
}

func (w *wire) Write(b []byte) (int, error) {
	w.wroteBody = true
	return w.ResponseRecorder.Write(b)
}

func (w *wire) wrote() bool { return w.wroteHeader || w.wroteBody || w.Body.Len() > 0 }

// assertMinimal500 checks the minimal safe 500 that answers a panic in
// error handling, and one Error record naming the panic.
func (s *suite) assertMinimal500(t *testing.T, e *env, rec *httptest.ResponseRecorder, panicText string) {
	t.Helper()
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assertSafety(t, rec.Header())
	assert.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain"), "a plain page: %q", rec.Header().Get("Content-Type"))
	assert.Less(t, rec.Body.Len(), 200, "a minimal page: %q", rec.Body.String())
	assert.NotContains(t, rec.Body.String(), panicText, "the panic is not shown")
	r := e.record(t)
	assert.Equal(t, slog.LevelError, r.Level)
	assert.Contains(t, RecordText(r), panicText, "the record names the panic")
	e.reports(t, 1)
}

// panics: a panic in a handler or a renderer is recovered, logged, and
// answered with a minimal safe 500; a panicking logger or reporter cannot
// break the response; the server lives.
func (s *suite) panics(t *testing.T) {
	boom := func(Ctx, error) error { panic("kaboom in handler") }
	for _, tc := range []struct {
		name string
		err  error
		opt  Option
	}{
		{"in an OnAny handler", errors.New("x"), s.f.OnAny(boom)},
		{"in an OnCode handler", s.f.NotFound(), s.f.OnCode(http.StatusNotFound, boom)},
		{"in an OnType handler", &ValidationError{Field: "f"}, s.f.OnType(TypeValidation, boom)},
		{"in an OnError handler", ErrSentinel, s.f.OnError(ErrSentinel, boom)},
		{"in a renderer", errors.New("x"), s.f.WithRenderer(s.f.CustomRenderer("application/json",
			func(Ctx, Canonical) error { panic("kaboom in handler") }))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := s.failing(t, tc.err, tc.opt)
			s.assertMinimal500(t, e, e.get("/x"), "kaboom in handler")
			assert.Equal(t, http.StatusInternalServerError, e.get("/x").Code, "the server lives: the next request is answered too")
		})
	}
	t.Run("in a renderer after it wrote the status", func(t *testing.T) {
		e := s.failing(t, s.f.NotFound(), s.f.WithRenderer(s.f.CustomRenderer("application/json", func(c Ctx, _ Canonical) error {
			c.WriteHeader(http.StatusNotFound)
			panic("kaboom after writing")
		})))
		rec := e.get("/x")
		assert.Equal(t, http.StatusNotFound, rec.Code, "the status went out; nothing more can be sent")
		r := e.record(t)
		assert.Equal(t, slog.LevelError, r.Level)
		assert.Contains(t, RecordText(r), "kaboom after writing")
	})
	t.Run("in the log handler", func(t *testing.T) {
		bad := &LogRecorder{Panic: true}
		e := s.failing(t, errors.New("x"), s.f.WithLogger(bad.Logger()))
		rec := e.get("/x")
		require.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec), "the response was not broken by the logger")
	})
	t.Run("in the reporter", func(t *testing.T) {
		rep := &ReportRecorder{Panic: true}
		e := s.failing(t, errors.New("x"), s.f.WithReporter(rep.Report))
		rec := e.get("/x")
		require.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec), "the response was not broken by the reporter")
		assert.Len(t, rep.Reports(), 1)
		assert.Contains(t, recordsText(e.Log.Records()), "reporter panicked", "the reporter's panic is logged")
	})
}

// typedNil: an error whose methods panic (a typed nil that dereferences
// its receiver, an Error() that panics) is logged and answered with a 500,
// also in debug mode, where its text is shown.
func (s *suite) typedNil(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"typed nil", TypedNil()},
		{"typed nil wrapped", &Wrapper{Msg: "load", Err: TypedNil()}},
		{"typed nil joined", errors.Join(errors.New("a"), TypedNil())},
		{"typed nil of Echo's HTTP error", s.f.NilHTTPError()},
		{"typed nil *Error", (*Canonical)(nil)},
		{"Error() panics", panicky{}},
	} {
		for _, debug := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/debug=%v", tc.name, debug), func(t *testing.T) {
				e := s.failing(t, tc.err, s.f.WithDebug(debug))
				rec := e.get("/x")
				require.Equal(t, http.StatusInternalServerError, rec.Code)
				assertSafety(t, rec.Header())
				assert.Equal(t, s.desc(http.StatusInternalServerError), jsonBody(t, rec)["description"], "the generic description")
				r := e.record(t)
				assert.Equal(t, slog.LevelError, r.Level)
				if _, ok := tc.err.(panicky); ok {
					assert.Contains(t, RecordText(r), "Error() panicked", "the log says what happened")
					if !debug {
						assert.NotContains(t, rec.Body.String(), "panicked", "nothing of it in a public body")
					}
				}
				e.reports(t, 1)
				assert.Equal(t, http.StatusNotFound, e.get("/nope").Code, "the server lives")
			})
		}
	}
	t.Run("a panicking Error() held by a carrier does not hide its status", func(t *testing.T) {
		rec := s.failing(t, s.f.WrapHTTPError(http.StatusConflict, "taken", panicky{})).get("/x")
		require.Equal(t, http.StatusConflict, rec.Code)
		assert.Equal(t, "taken", jsonBody(t, rec)["description"])
	})
}

// lives: hostile requests against a real server on loopback, one after
// another on the same client; the server answers each and then a normal
// request.
func (s *suite) lives(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	e := s.serve(t, App{
		Options: []Option{
			s.f.OnCode(418, func(Ctx, error) error { panic("handler panicked") }),
			s.f.OnCode(409, func(c Ctx, err error) error { return c.JSON(409, map[string]string{"ok": "handler page"}) }),
		},
		Use: []Middleware{Use(KindRecover)},
		Routes: []Endpoint{
			GET("/big", Fail(s.f.HTTPError(400, big))),
			GET("/header", Fail(s.f.NewError(Canonical{Code: 401, Header: http.Header{"Www-Authenticate": {"Bearer\r\nSet-Cookie: evil=1"}}}))),
			GET("/cycle", Fail(TwoCycle())),
			GET("/panic", func(Ctx) error { panic("route panicked") }),
			GET("/teapot", Fail(&Coded{Code: 418})),
			GET("/typednil", Fail(TypedNil())),
			GET("/invalid", Fail(s.f.HTTPError(0, ""))),
			GET("/handled", Fail(s.f.HTTPError(409, "x"))),
			GET("/ok", func(c Ctx) error { return c.String(200, "ok") }),
		},
	})
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	get := func(path string, headers ...string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		for _, h := range headers {
			k, v, _ := strings.Cut(h, ":")
			req.Header.Set(k, strings.TrimSpace(v))
		}
		res, err := srv.Client().Do(req)
		require.NoError(t, err, path)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err, path)
		return res, body
	}
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/big", 400}, {"/header", 401}, {"/cycle", 500}, {"/panic", 500}, {"/teapot", 500},
		{"/typednil", 500}, {"/invalid", 500}, {"/handled", 409}, {"/missing", 404},
	} {
		for _, accept := range []string{"", "text/html", "text/plain", "garbage;;q=,", "application/problem+json"} {
			res, body := get(tc.path, "Accept: "+accept)
			assert.Equal(t, tc.code, res.StatusCode, "%s Accept %q", tc.path, accept)
			if tc.path != "/handled" { // a handler's own page: see Handlers
				assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"), "%s Accept %q", tc.path, accept)
				assert.Equal(t, "no-store", res.Header.Get("Cache-Control"), "%s Accept %q", tc.path, accept)
			}
			assert.Empty(t, res.Header.Values("Set-Cookie"), "no header injection")
			assert.NotEmpty(t, body)
		}
	}
	res, body := get("/big")
	assert.Greater(t, len(body), 1<<20, "the 1 MB message arrives whole")
	assert.True(t, json.Valid(body))
	assert.Equal(t, 400, res.StatusCode)
	res, body = get("/ok")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "ok", string(body))
}

// Invariants 1 and 6: EchoJSON encodes with e.JSONSerializer; one that
// panics is recovered into the minimal 500, logged once, and the server
// serves the next request as usual.
func (s *suite) panickingSerializer(t *testing.T) {
	e := s.serve(t, App{
		JSONSerializerPanics: true,
		Options:              []Option{s.f.WithRenderer(s.f.EchoJSON())},
		Routes: []Endpoint{
			GET("/x", Fail(s.f.HTTPError(http.StatusNotFound, "No such order."))),
			GET("/ok", func(c Ctx) error { return c.String(http.StatusOK, "ok") }),
		},
	})
	for i := 0; i < 2; i++ {
		res, body := onConn(t, e.h, "GET /x")
		require.Equal(t, http.StatusInternalServerError, res.StatusCode, "body %q", body)
		assert.Equal(t, "500 Internal Server Error\n", string(body))
		assertSafety(t, res.Header)
		r := e.record(t)
		assert.Contains(t, RecordText(r), PanicSerializing)
		e.Log.Reset()
	}
	res, body := onConn(t, e.h, "GET /ok")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "ok", string(body))
}

// wrapIn is the suite's middleware that wraps the error it gets back.
func wrapIn(prefix string) Middleware {
	return Func(func(next Route) Route {
		return func(c Ctx) error {
			if err := next(c); err != nil {
				return fmt.Errorf("%s: %w", prefix, err)
			}
			return nil
		}
	})
}

// joinIn is middleware that joins the error it gets back with another.
func joinIn() Middleware {
	return Func(func(next Route) Route {
		return func(c Ctx) error {
			if err := next(c); err != nil {
				return errors.Join(errors.New("cleanup failed"), err)
			}
			return nil
		}
	})
}

// wrappedRepeats holds invariant 2 (exactly once per distinct error): the
// error Echo's handler already got, returned again inside a wrapper
// (%w, errors.Join, twice wrapped, wrapped between two RequestLoggers,
// handled in the chain by echoerr.Middleware), is a repeat: one record,
// one report, one response.
func (s *suite) wrappedRepeats(t *testing.T) {
	for _, tc := range wrappings() {
		t.Run(tc.name, func(t *testing.T) {
			e := s.serve(t, App{Use: tc.use, Routes: []Endpoint{GET("/x", tc.route)}})
			rec := e.get("/x")
			require.Equal(t, http.StatusInternalServerError, rec.Code)
			assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec), "one response body, written once")
			assert.Equal(t, slog.LevelError, e.record(t).Level)
			e.reports(t, 1)
		})
	}
	t.Run("a different error wrapped by middleware is still observed", func(t *testing.T) {
		e := s.serve(t, App{Use: []Middleware{wrapIn("mw")}, Routes: []Endpoint{GET("/x", func(c Ctx) error {
			c.Error(s.f.HTTPError(http.StatusConflict, "First."))
			return errors.New("second failure")
		})}})
		rec := e.get("/x")
		require.Equal(t, http.StatusConflict, rec.Code, "the first error's response stands")
		recs := e.records(t, 2)
		assert.Contains(t, RecordText(recs[1]), "second failure")
		e.reports(t, 1)
	})
}

// wrapping is a way an error comes back to Echo's handler, inside a
// wrapper, after the handler was called for it.
type wrapping struct {
	name  string
	use   []Middleware
	route Route
}

// wrappings are the cases of wrappedRepeats.
func wrappings() []wrapping {
	rl := Use(KindRequestLogger)
	return []wrapping{
		{"%w around RequestLogger", []Middleware{wrapIn("mw"), rl}, Fail(errors.New("boom"))},
		{"errors.Join around RequestLogger", []Middleware{joinIn(), rl}, Fail(errors.New("boom"))},
		{"wrapped twice around RequestLogger", []Middleware{wrapIn("outer"), wrapIn("inner"), rl}, Fail(errors.New("boom"))},
		{"wrapped between two RequestLoggers", []Middleware{rl, wrapIn("mw"), rl}, Fail(errors.New("boom"))},
		{"echoerr.Middleware around a wrapper around RequestLogger", []Middleware{Use(KindEchoerr), wrapIn("mw"), rl}, Fail(errors.New("boom"))},
		{"c.Error in the route, then the error wrapped", nil, func(c Ctx) error {
			err := errors.New("boom")
			c.Error(err)
			return fmt.Errorf("route: %w", err)
		}},
		{"c.Error of a wrapper, then the error itself", nil, func(c Ctx) error {
			err := errors.New("boom")
			c.Error(fmt.Errorf("route: %w", err))
			return err
		}},
		{"c.Error in the route under echoerr.Middleware and a wrapper", []Middleware{Use(KindEchoerr), wrapIn("mw")}, func(c Ctx) error {
			err := errors.New("boom")
			c.Error(err)
			return err
		}},
	}
}

// abortHandler holds invariant 6: http.ErrAbortHandler, panicked or
// returned, with Echo's Recover, echoerr's recovery or none, is panicked
// again so that net/http aborts the connection: the client gets no
// response, nothing is logged at Error or reported, and the server serves
// the next request.
func (s *suite) abortHandler(t *testing.T) {
	for _, tc := range aborts() {
		t.Run(tc.name, func(t *testing.T) {
			e := s.serve(t, App{Use: tc.use, Routes: []Endpoint{GET("/x", tc.route), GET("/ok", func(c Ctx) error {
				return c.String(http.StatusOK, "fine")
			})}})
			srv := httptest.NewUnstartedServer(e.h)
			srv.Start()
			defer srv.Close()
			res, err := srv.Client().Get(srv.URL + "/x")
			if err == nil {
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				t.Fatalf("the connection was not aborted: %d %q", res.StatusCode, body)
			}
			res, body := getOnWire(t, srv, "/ok")
			assert.Equal(t, http.StatusOK, res.StatusCode, "the next request is served")
			assert.Equal(t, "fine", string(body))
			srv.Close()
			for _, r := range e.Log.Records() {
				assert.Less(t, r.Level, slog.LevelInfo, "at most a debug record: %s", RecordText(r))
			}
			e.reports(t, 0)
		})
	}
}

// aborts are the cases of abortHandler: the ways http.ErrAbortHandler
// reaches Echo, as a panic or as an error.
func aborts() []wrapping {
	abort := func(Ctx) error { panic(http.ErrAbortHandler) }
	return []wrapping{
		{"panicked, no recovery", nil, abort},
		{"panicked under Echo's Recover", []Middleware{Use(KindRecover)}, abort},
		{"panicked under echoerr's recovery", []Middleware{Use(KindRecoverStack)}, abort},
		{"panicked under RequestLogger and Recover", []Middleware{Use(KindRequestLogger), Use(KindRecover)}, abort},
		{"returned", nil, Fail(http.ErrAbortHandler)},
		{"returned wrapped under RequestLogger", []Middleware{Use(KindRequestLogger)}, Fail(fmt.Errorf("stream: %w", http.ErrAbortHandler))},
		{"returned under echoerr.Middleware", []Middleware{Use(KindEchoerr)}, Fail(http.ErrAbortHandler)},
		{"panicked wrapped under Recover", []Middleware{Use(KindRecover)}, func(Ctx) error {
			panic(fmt.Errorf("stream: %w", http.ErrAbortHandler))
		}},
	}
}
