package facetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The path of one error, step 2: normalization into the canonical *Error.
func (s *suite) normalize(t *testing.T) {
	t.Run("status from the outermost carrier", s.carriers)
	t.Run("a cyclic, deep or wide chain is walked a bounded number of links", s.chains)
	t.Run("context.Canceled with the request's context done is 499, nothing written", func(t *testing.T) {
		for _, err := range []error{context.Canceled, fmt.Errorf("query: %w", context.Canceled)} {
			t.Run(err.Error(), func(t *testing.T) {
				p := &onceProbe{}
				e := s.serve(t, App{Use: []Middleware{p.middleware(KindRequestLogger)}, Routes: []Endpoint{
					GET("/x", Fail(err)),
				}})
				w := newWire()
				serveOrFail(t, e.h, w, goneRequest(newRequest(http.MethodGet, "/x")))
				assert.False(t, w.wrote(), "nothing is written")
				assert.Equal(t, []int{StatusClientClosedRequest}, p.statuses, "access logs see 499")
				r := e.record(t)
				assert.Equal(t, slog.LevelDebug, r.Level, "not logged as an error")
				assertStatusAttr(t, r, StatusClientClosedRequest)
				e.reports(t, 0)
			})
		}
	})
	t.Run("context.Canceled with the client still there is a written 500", func(t *testing.T) {
		for name, wrap := range map[string]func(error) error{
			"the context's own error": func(err error) error { return err },
			"wrapped":                 func(err error) error { return fmt.Errorf("errgroup: fetch prices: %w", err) },
		} {
			t.Run(name, func(t *testing.T) {
				e := s.serve(t, App{Routes: []Endpoint{GET("/x", func(c Ctx) error {
					ctx, cancel := context.WithCancel(c.Request().Context())
					cancel() // the route's own sub-operation, as an errgroup cancels it
					return wrap(ctx.Err())
				})}})
				rec := e.get("/x")
				require.Equal(t, http.StatusInternalServerError, rec.Code, "never an empty 200")
				assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec))
				assertSafety(t, rec.Header())
				r := e.record(t)
				assert.Equal(t, slog.LevelError, r.Level)
				assertStatusAttr(t, r, 500)
				reps := e.reports(t, 1)
				assert.Equal(t, http.StatusInternalServerError, reps[0].Code, "reported as a 500")
			})
		}
	})
	t.Run("context.Canceled under ContextTimeout, the client still there, is a written 500", func(t *testing.T) {
		// ContextTimeout cancels the request's context on its way out,
		// before the error handler runs: a done context is not a gone
		// client. A real server, whose connection says whether it closed.
		p := &onceProbe{}
		e := s.serve(t, App{
			Use: []Middleware{p.middleware(KindRequestLogger), {Kind: KindContextTimeout, Timeout: time.Minute}},
			Routes: []Endpoint{GET("/x", func(c Ctx) error {
				ctx, cancel := context.WithCancel(c.Request().Context())
				cancel()
				return fmt.Errorf("fetch: %w", ctx.Err())
			})},
		})
		srv := httptest.NewServer(e.h)
		defer srv.Close()
		res, body := getOnWire(t, srv, "/x")
		require.Equal(t, http.StatusInternalServerError, res.StatusCode, "never an empty 200: %q", body)
		var got map[string]any
		require.NoError(t, json.Unmarshal(body, &got), "a JSON object: %q", body)
		assert.Equal(t, s.defaultJSON(500), got)
		srv.Close()
		assert.Equal(t, []int{http.StatusInternalServerError}, p.statuses, "access logs see 500")
		r := e.record(t)
		assert.Equal(t, slog.LevelError, r.Level)
		assertStatusAttr(t, r, 500)
		e.reports(t, 1)
	})
	t.Run("a client gone under ContextTimeout is 499, nothing written", func(t *testing.T) {
		p := &onceProbe{}
		started := make(chan struct{})
		e := s.serve(t, App{
			Use: []Middleware{p.middleware(KindRequestLogger), {Kind: KindContextTimeout, Timeout: time.Minute}},
			Routes: []Endpoint{GET("/x", func(c Ctx) error {
				close(started)
				<-c.Request().Context().Done()
				return c.Request().Context().Err()
			})},
		})
		srv := httptest.NewServer(e.h)
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
		srv.Close() // waits for the handler
		assert.Equal(t, []int{StatusClientClosedRequest}, p.statuses, "access logs see 499")
		r := e.record(t)
		assert.Equal(t, slog.LevelDebug, r.Level, "not logged as an error")
		assertStatusAttr(t, r, StatusClientClosedRequest)
		e.reports(t, 0)
	})
	t.Run("unknown error is a generic 500 that keeps the error", func(t *testing.T) {
		cause := errors.New("pq: relation users does not exist")
		e := s.failing(t, fmt.Errorf("load user: %w", cause))
		rec := e.get("/x")
		require.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec))
		assert.NotContains(t, rec.Body.String(), "relation users")
		reps := e.reports(t, 1)
		assert.ErrorIs(t, reps[0].Err, cause, "Err is the error the route returned")
		assert.ErrorIs(t, s.f.FromError(cause).Err, cause)
	})
	t.Run("invalid statuses are a logged 500", func(t *testing.T) {
		type invalid struct {
			name string
			err  error
			code int
		}
		cases := []invalid{
			{"HTTP error 0", s.f.HTTPError(0, ""), 0},
			{"HTTP error 1000", s.f.HTTPError(1000, "Huge."), 1000},
			{"StatusCode -1", &Coded{Code: -1, Msg: "negative"}, -1},
			{"StatusCode 99", &Coded{Code: 99, Msg: "two digits"}, 99},
			{"StatusCode 103, informational", &Coded{Code: 103, Msg: "early hints"}, 103},
			{"*Error 42", s.f.NewError(Canonical{Code: 42}), 42},
			{"*Error 1000 wrapped", fmt.Errorf("w: %w", s.f.NewError(Canonical{Code: 1000, Description: "Never shown."})), 1000},
		}
		for _, code := range []int{-1, 0, 1, 99, 100, 101, 199, 1000, 1 << 30} {
			cases = append(cases,
				invalid{fmt.Sprintf("an HTTP error with status %d", code), s.f.HTTPError(code, "bad"), code},
				invalid{fmt.Sprintf("a wrapped HTTP error with status %d", code), fmt.Errorf("x: %w", s.f.HTTPError(code, "")), code},
				invalid{fmt.Sprintf("an *Error with status %d", code), s.f.NewError(Canonical{Code: code}), code},
				invalid{fmt.Sprintf("a StatusCode() of %d", code), &Coded{Code: code, Msg: "coded"}, code},
			)
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := s.failing(t, tc.err)
				rec := e.get("/x")
				require.Equal(t, http.StatusInternalServerError, rec.Code)
				assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec))
				r := e.record(t)
				assert.Equal(t, slog.LevelError, r.Level, "a server bug is logged as an error")
				v, ok := RecordAttr(r, "invalid_status")
				assert.True(t, ok, "the record names the invalid status: %s", RecordText(r))
				assert.Equal(t, fmt.Sprint(tc.code), v, "the invalid status logged")
				assert.Equal(t, http.StatusInternalServerError, s.f.StatusOf(tc.err))
			})
		}
	})
	t.Run("the edges of the valid statuses are kept", func(t *testing.T) {
		for _, code := range []int{200, 299, 999} {
			assert.Equal(t, code, s.failing(t, s.f.HTTPError(code, "")).get("/x").Code, "status %d", code)
		}
	})
	t.Run("names and default descriptions", func(t *testing.T) {
		for code, name := range map[int]string{
			400: "Bad Request", 404: "Not Found", 418: "I'm a teapot", 422: "Unprocessable Entity",
			StatusClientClosedRequest: "Client Closed Request", 500: "Internal Server Error",
			503: "Service Unavailable", 599: "Error 599", 799: "Error 799",
		} {
			fe := s.f.FromError(s.f.NewError(Canonical{Code: code}))
			assert.Equal(t, code, fe.Code)
			assert.Equal(t, name, fe.Name, "name of %d", code)
			assert.NotEmpty(t, fe.Description, "description of %d", code)
		}
		assert.NotEqual(t, s.desc(404), s.desc(500))
		e := s.failing(t, s.f.NewError(Canonical{Code: 599}))
		assert.Equal(t, "Error 599", jsonBody(t, e.get("/x"))["name"])
	})
	t.Run("an *Error with only a Code gets its name and description", func(t *testing.T) {
		ref := s.failing(t, s.f.NotFound())
		want := jsonBody(t, ref.get("/x"))
		e := s.failing(t, s.f.NewError(Canonical{Code: http.StatusNotFound}))
		assert.Equal(t, want, jsonBody(t, e.get("/x")), "as Echo's own 404")
		e = s.failing(t, s.f.NewError(Canonical{Code: http.StatusNotFound, Description: "No such user."}))
		assert.Equal(t, map[string]any{"code": 404.0, "name": "Not Found", "description": "No such user."}, jsonBody(t, e.get("/x")))
	})
	t.Run("changing only Code after FromError gives the new code's name and description", func(t *testing.T) {
		ref := s.failing(t, s.f.NotFound())
		want := jsonBody(t, ref.get("/x"))
		e := s.failing(t, errors.New("no rows"), s.f.OnAny(func(_ Ctx, err error) error {
			return s.adjust(err, func(fe *Canonical) { fe.Code = http.StatusNotFound })
		}))
		rec := e.get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, want, jsonBody(t, rec), `never "code":404,"name":"Internal Server Error"`)

		e = s.failing(t, s.f.HTTPError(http.StatusBadRequest, "Custom text."), s.f.OnAny(func(_ Ctx, err error) error {
			return s.adjust(err, func(fe *Canonical) { fe.Code = http.StatusConflict })
		}))
		rec = e.get("/x")
		require.Equal(t, http.StatusConflict, rec.Code)
		assert.Equal(t, "Conflict", jsonBody(t, rec)["name"])

		for _, tc := range []struct {
			name  string
			route error
			edit  func(fe *Canonical)
			wrap  bool   // the handler wraps the adjusted error
			code  int    // the new code
			desc  string // "" means the new code's default description
			title string // "" means the new code's name
		}{
			{"an unknown error turned into a 404", errors.New("sql: no rows in result set"),
				func(fe *Canonical) { fe.Code = http.StatusNotFound }, false, 404, "", ""},
			{"a routing 404 turned into a 410", s.f.NotFound(),
				func(fe *Canonical) { fe.Code = http.StatusGone }, false, 410, "", ""},
			{"wrapped after the change", errors.New("boom"),
				func(fe *Canonical) { fe.Code = http.StatusConflict }, true, 409, "", ""},
			{"the route's own message is kept", s.f.HTTPError(http.StatusBadRequest, "Missing name."),
				func(fe *Canonical) { fe.Code = http.StatusUnprocessableEntity }, false, 422, "Missing name.", ""},
			{"a description the handler set is kept", errors.New("boom"),
				func(fe *Canonical) { fe.Code, fe.Description = http.StatusNotFound, "No such user." }, false, 404, "No such user.", ""},
			{"a name the handler set is kept", errors.New("boom"),
				func(fe *Canonical) { fe.Code, fe.Name = http.StatusNotFound, "Nothing Here" }, false, 404, "", "Nothing Here"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := s.failing(t, tc.route, s.f.OnAny(func(_ Ctx, err error) error {
					adjusted := s.adjust(err, tc.edit)
					if tc.wrap {
						return fmt.Errorf("adjusted: %w", adjusted)
					}
					return adjusted
				}))
				rec := e.get("/x")
				require.Equal(t, tc.code, rec.Code)
				desc, title := tc.desc, tc.title
				if desc == "" {
					desc = s.desc(tc.code)
				}
				if title == "" {
					title = s.name(tc.code)
				}
				body := jsonBody(t, rec)
				assert.Equal(t, title, body["name"])
				assert.Equal(t, desc, body["description"])
			})
		}
		fe := s.f.FromError(errors.New("boom"))
		fe.Code = http.StatusNotFound
		assert.Equal(t, "404 Not Found: "+s.desc(404)+": boom", fe.Error(), "Error() names the new code too")
	})
	t.Run("FromError and StatusOf agree with the response", func(t *testing.T) {
		for _, err := range []error{
			s.f.NotFound(), s.f.HTTPError(409, "x"), fmt.Errorf("w: %w", s.f.HTTPError(409, "x")),
			&Coded{Code: 423}, errors.New("x"), context.DeadlineExceeded, s.f.HTTPError(0, ""),
			errors.Join(errors.New("a"), &Coded{Code: 451}), s.f.NewError(Canonical{Code: 418}),
		} {
			e := s.failing(t, err)
			code := e.get("/x").Code
			assert.Equal(t, code, s.f.StatusOf(err), "StatusOf(%v)", err)
			assert.Equal(t, code, s.f.FromError(err).Code, "FromError(%v).Code", err)
		}
		for _, err := range []error{s.f.NotFound(), &Coded{Code: 423}, errors.New("x"), context.DeadlineExceeded} {
			assert.Equal(t, err, s.f.FromError(err).Err, "FromError keeps the error in Err")
		}
		assert.Equal(t, StatusClientClosedRequest, s.f.StatusOf(context.Canceled))
	})
	t.Run("a route's own context.Canceled behind writer wrappers is a written 500", s.canceledBehindWrappers)
}

// carriers: the status comes from the outermost status carrier in the
// chain, walked as errors.As walks it (%w and errors.Join); context
// deadlines are 503; the rest is 500 with a generic description.
func (s *suite) carriers(t *testing.T) {
	inner := http.StatusInternalServerError
	innerDesc := "Outer text."
	if s.caps.InnerHTTPErrorWins {
		inner, innerDesc = http.StatusForbidden, "Inner text."
	}
	for _, tc := range []struct {
		name string
		err  error
		code int
		desc string // "" means the default description of code
	}{
		{"Echo's NotFound", s.f.NotFound(), 404, ""},
		{"HTTP error", s.f.HTTPError(409, "Already taken."), 409, "Already taken."},
		{"HTTP error through %w", fmt.Errorf("save: %w", s.f.HTTPError(409, "Already taken.")), 409, "Already taken."},
		{"HTTP error through errors.Join", errors.Join(errors.New("a"), s.f.HTTPError(409, "Already taken.")), 409, "Already taken."},
		{"HTTP error through %w and errors.Join", fmt.Errorf("w: %w", errors.Join(errors.New("a"), s.f.NotFound())), 404, ""},
		{"StatusCode() int", &Coded{Code: 423, Msg: "locked"}, 423, ""},
		{"StatusCode() int wrapped", &Wrapper{Msg: "w", Err: &Coded{Code: 423, Msg: "locked"}}, 423, ""},
		{"*Error", s.f.NewError(Canonical{Code: 410, Description: "Gone for good."}), 410, "Gone for good."},
		{"outermost carrier wins", s.f.NewError(Canonical{Code: 422, Err: s.f.HTTPError(409, "Inner.")}), 422, ""},
		{"outermost carrier wins through %w", fmt.Errorf("w: %w", &Wrapper{Msg: "x", Err: errors.Join(&Coded{Code: 451}, s.f.HTTPError(409, "x"))}), 451, ""},
		{"an HTTP error held by an HTTP error", s.f.WrapHTTPError(500, "Outer text.", s.f.HTTPError(403, "Inner text.")), inner, innerDesc},
		{"context.DeadlineExceeded", context.DeadlineExceeded, 503, ""},
		{"context.DeadlineExceeded wrapped", fmt.Errorf("query: %w", context.DeadlineExceeded), 503, ""},
		{"a carrier above a deadline", s.f.WrapHTTPError(504, "Upstream slow.", context.DeadlineExceeded), 504, "Upstream slow."},
		{"unknown", errors.New("x"), 500, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := s.failing(t, tc.err)
			rec := e.get("/x")
			require.Equal(t, tc.code, rec.Code)
			want := tc.desc
			if want == "" {
				want = s.desc(tc.code)
			}
			assert.Equal(t, want, jsonBody(t, rec)["description"])
			assert.Equal(t, tc.code, s.f.StatusOf(tc.err))
		})
	}
}

// chains: a chain that never ends, or is very long or very wide, is walked
// a bounded number of links, by every renderer and every rung, in debug
// mode too.
func (s *suite) chains(t *testing.T) {
	leaves := make([]error, 10000)
	for i := range leaves {
		leaves[i] = fmt.Errorf("leaf %d", i)
	}
	leaves[10] = s.f.HTTPError(409, "Early.")
	type chain struct {
		err  error
		code int // a carrier within the walk's bound gives its status; past it, 500
	}
	errs := map[string]chain{
		"Unwrap returns itself":                    {&Cycle{Msg: "self"}, 500},
		"two links unwrapping to each":             {TwoCycle(), 500},
		"a join holding itself":                    {JoinCycle(), 500},
		"a join whose every branch is itself":      {SelfJoin(), 500},
		"a carrier 100 links down":                 {Deep(100, s.f.HTTPError(409, "Deep.")), 409},
		"a carrier 10 000 links down":              {Deep(10000, s.f.HTTPError(409, "Deep.")), 500},
		"100 000 links":                            {Deep(100000, s.f.HTTPError(409, "Deep.")), 500},
		"a carrier 11th of 10 000 joined branches": {errors.Join(leaves...), 409},
		"a carrier after 10 000 joined branches":   {Wide(10000, s.f.HTTPError(409, "Wide.")), 500},
		"a cycle below a carrier":                  {s.f.WrapHTTPError(409, "Above a cycle.", TwoCycle()), 409},
	}
	for name, tc := range errs {
		err := tc.err
		for _, rc := range s.allRenderers() {
			t.Run(name+"/"+rc.name, func(t *testing.T) {
				c := &Calls{}
				e := s.serve(t, App{
					Options: []Option{
						s.f.WithRenderer(rc.r), s.f.WithDebug(true),
						s.f.OnType(TypeValidation, c.Take("type")), s.f.OnType(TypeTemporary, c.Take("iface")),
						s.f.OnError(ErrSentinel, c.Take("value")), s.f.OnHTTPError(c.Result("http", s.f.Pass())),
					},
					Routes: []Endpoint{GET("/x", Fail(err))},
				})
				rec := e.get("/x")
				assert.Equal(t, tc.code, rec.Code)
				assertSafety(t, rec.Header())
				e.record(t)
				assert.Equal(t, rec.Code, s.f.StatusOf(err), "StatusOf agrees")
				assert.NotContains(t, c.Ran(), "type")
			})
		}
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
