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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// classes holds whole classes of defects shut (issue 16): each case is
// one member of a class that the engine's mechanism, not a special case,
// must handle.
func (s *suite) classes(t *testing.T) {
	t.Run("an error wrapped by middleware after it was handled is handled once", s.wrappedRepeats)
	t.Run("comparable errors holding unhashable values get their handler", s.unhashable)
	t.Run("a route's own context.Canceled behind writer wrappers is a written 500", s.canceledBehindWrappers)
	t.Run("http.ErrAbortHandler aborts the connection", s.abortHandler)
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

// Unhashable is a comparable error type whose field may hold a value that
// is neither comparable nor hashable (a slice, a map, a func): == and map
// lookups of it panic at run time.
type Unhashable struct{ V any }

func (u Unhashable) Error() string { return fmt.Sprintf("unhashable %v", u.V) }

// unhashable holds invariant 6 (never panics): a route's error or an
// OnError target of a comparable type holding a slice, a map or a func
// never panics the ladder; each gets its own handler and status.
func (s *suite) unhashable(t *testing.T) {
	target := Unhashable{V: []int{1}}
	conflict := func(Ctx, error) error { return s.f.HTTPError(http.StatusConflict, "Matched.") }
	for _, tc := range []struct {
		name   string
		target error
		err    error
		code   int
	}{
		{"the route's error holds a slice", Unhashable{V: 1}, Unhashable{V: []int{1}}, 500},
		{"the route's error holds a map", Unhashable{V: 1}, fmt.Errorf("w: %w", Unhashable{V: map[string]int{}}), 500},
		{"the route's error holds a func", Unhashable{V: 1}, Unhashable{V: func() {}}, 500},
		{"the target holds a slice, the route returns it", target, target, http.StatusConflict},
		{"the target holds a slice, the route wraps it", target, fmt.Errorf("w: %w", target), http.StatusConflict},
		{"the target holds a slice, the route returns another", target, Unhashable{V: []int{2}}, 500},
		{"the target holds a slice, the route's error is hashable", target, Unhashable{V: 1}, 500},
		{"the target holds a slice, the route joins it", target, errors.Join(Unhashable{V: 1}, target), http.StatusConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := s.failing(t, tc.err, s.f.OnError(tc.target, conflict))
			rec := e.get("/x")
			require.Equal(t, tc.code, rec.Code, "body: %q", rec.Body.String())
			if tc.code == 500 {
				assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec), "the default page, not the minimal one")
			} else {
				assert.Equal(t, "Matched.", jsonBody(t, rec)["description"])
			}
			e.record(t)
		})
	}
}

// canceledBehindWrappers holds invariant 1 (never an empty 200): a
// route's own context.Canceled, the client still waiting on a real
// server, is a written 500 behind a writer wrapper that hides the
// connection (no Unwrap) and behind http.TimeoutHandler; a client that
// really hangs up is still 499, nothing written, not an error.
func (s *suite) canceledBehindWrappers(t *testing.T) {
	own := func(c Ctx) error {
		ctx, cancel := context.WithCancel(c.Request().Context())
		cancel()
		return fmt.Errorf("fetch: %w", ctx.Err())
	}
	cases := []struct {
		name string
		use  []Middleware
		wrap func(http.Handler) http.Handler
	}{
		{"a writer without Unwrap", []Middleware{Use(KindPlainWriter)}, nil},
		{"a writer without Unwrap under ContextTimeout", []Middleware{{Kind: KindContextTimeout, Timeout: time.Minute}, Use(KindPlainWriter)}, nil},
		{"http.TimeoutHandler", nil, timeoutHandler},
		{"http.TimeoutHandler and ContextTimeout", []Middleware{{Kind: KindContextTimeout, Timeout: time.Minute}}, timeoutHandler},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := s.serve(t, App{Use: tc.use, Routes: []Endpoint{GET("/x", own)}})
			h := e.h
			if tc.wrap != nil {
				h = tc.wrap(h)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			res, body := getOnWire(t, srv, "/x")
			require.Equal(t, http.StatusInternalServerError, res.StatusCode, "never an empty 200: %q", body)
			var got map[string]any
			require.NoError(t, json.Unmarshal(body, &got), "a JSON object: %q", body)
			assert.Equal(t, s.defaultJSON(500), got)
			srv.Close()
			assert.Equal(t, slog.LevelError, e.record(t).Level)
			e.reports(t, 1)
		})
	}
	t.Run("a client that hangs up is 499", s.hangUp)
}

// hangUp: a client that really hangs up on a real server is 499, nothing
// written, logged at Debug, not reported (invariant 1 does not make a gone
// client an error). Behind http.TimeoutHandler the engine cannot see the
// connection: whether its writer has refused the page by the time echoerr
// writes is a race between its goroutine and the handler's, so that case
// is held deterministically by a writer that refuses (see failingWriters).
func (s *suite) hangUp(t *testing.T) {
	for _, tc := range []struct {
		name string
		wrap func(http.Handler) http.Handler
	}{
		{"on the server itself", func(h http.Handler) http.Handler { return h }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			started := make(chan struct{})
			e := s.serve(t, App{Routes: []Endpoint{GET("/x", func(c Ctx) error {
				close(started)
				<-c.Request().Context().Done()
				return c.Request().Context().Err()
			})}})
			// http.TimeoutHandler returns when the client leaves, without
			// waiting for the handler it runs: done says the handler ended.
			done := make(chan struct{})
			inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				e.h.ServeHTTP(w, r)
			})
			srv := httptest.NewServer(tc.wrap(inner))
			defer srv.Close()
			ctx, cancel := context.WithCancel(context.Background())
			go func() {
				<-started
				cancel()
			}()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/x", nil)
			require.NoError(t, err)
			_, err = srv.Client().Do(req)
			require.ErrorIs(t, err, context.Canceled)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the handler never returned")
			}
			r := e.record(t)
			assert.Equal(t, slog.LevelDebug, r.Level, "not logged as an error: %s", RecordText(r))
			assertStatusAttr(t, r, StatusClientClosedRequest)
			e.reports(t, 0)
		})
	}
}

func timeoutHandler(h http.Handler) http.Handler {
	return http.TimeoutHandler(h, 5*time.Second, "timeout")
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
