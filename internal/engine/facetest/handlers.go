package facetest

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The path of one error, step 4: what a handler's result means.
func (s *suite) handlers(t *testing.T) {
	t.Run("nil without writing renders the canonical error", func(t *testing.T) {
		c := &Calls{}
		rec := s.failing(t, s.f.NotFound(), s.f.OnAny(c.Take("observer"))).get("/x")
		assert.Equal(t, []string{"observer"}, c.Ran())
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, s.defaultJSON(404), jsonBody(t, rec))
	})
	t.Run("a handler gets the request's context and the error as returned", func(t *testing.T) {
		route := &Wrapper{Msg: "load", Err: s.f.NotFound()}
		var gotErr error
		var gotUser any
		e := s.serve(t, App{
			Options: []Option{s.f.OnCode(http.StatusNotFound, func(c Ctx, err error) error {
				gotErr, gotUser = err, c.Get("user")
				return nil
			})},
			Use:    []Middleware{Func(func(next Route) Route { return func(c Ctx) error { c.Set("user", "ada"); return next(c) } })},
			Routes: []Endpoint{GET("/x", Fail(route))},
		})
		e.get("/x")
		assert.Same(t, route, gotErr, "exactly as the route returned it")
		assert.Equal(t, "ada", gotUser)
	})
	t.Run("a returned adjusted *Error is rendered as adjusted", func(t *testing.T) {
		rec := s.failing(t, s.f.NotFound(), s.f.OnCode(http.StatusNotFound, func(_ Ctx, err error) error {
			return s.adjust(err, func(fe *Canonical) { fe.Description = "That user does not exist." })
		})).get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, "That user does not exist.", jsonBody(t, rec)["description"])
	})
	t.Run("a handler's own response stands and is logged and reported with its status", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			route    error
			code     int
			level    slog.Level
			reported int
		}{
			{"4xx", errors.New("boom"), http.StatusNotFound, slog.LevelInfo, 0},
			{"5xx", errors.New("boom"), http.StatusServiceUnavailable, slog.LevelError, 1},
			{"a 4xx answered with a 5xx page", s.f.NotFound(), http.StatusServiceUnavailable, slog.LevelError, 1},
			{"a 4xx answered with another 4xx page", s.f.HTTPError(http.StatusBadRequest, "bad"), http.StatusUnprocessableEntity, slog.LevelInfo, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := s.failing(t, tc.route, s.f.OnAny(func(c Ctx, _ error) error {
					return c.JSON(tc.code, map[string]string{"custom": "page"})
				}))
				rec := e.get("/x")
				require.Equal(t, tc.code, rec.Code)
				assert.Equal(t, map[string]any{"custom": "page"}, jsonBody(t, rec))
				r := e.record(t)
				assertStatusAttr(t, r, tc.code)
				assert.Equal(t, tc.level, r.Level)
				_, failed := RecordAttr(r, "handler_error")
				assert.False(t, failed, "a handler's own page is no handler failure: %s", RecordText(r))
				reps := e.reports(t, tc.reported)
				for _, rep := range reps {
					assert.Equal(t, tc.code, rep.Code, "reported with the status it wrote")
					assert.Equal(t, s.name(tc.code), rep.Name, "and that status's name")
					assertSameError(t, tc.route, rep.Err, "the route's error is kept")
				}
			})
		}
	})
	t.Run("a handler's own page gets clean content headers and the safety headers", func(t *testing.T) {
		const origin = "https://app.example"
		var seen http.Header
		e := s.serve(t, App{
			Options: []Option{s.f.OnAny(func(c Ctx, _ error) error {
				seen = c.Header().Clone()
				return c.String(http.StatusNotFound, "custom page")
			})},
			Routes: []Endpoint{GET("/x", func(c Ctx) error {
				c.Header().Set("Access-Control-Allow-Origin", origin)
				return staleHeaders(errors.New("boom"))(c)
			})},
		})
		rec := e.get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, "custom page", rec.Body.String())
		assert.True(t, len(rec.Header().Get("Content-Type")) > 0 && rec.Header().Get("Content-Type") != "application/pdf")
		require.NotNil(t, seen, "the handler ran")
		for name, h := range map[string]http.Header{"before the handler wrote": seen, "in the response": rec.Header()} {
			t.Run(name, func(t *testing.T) {
				assertNoStaleHeaders(t, h)
				assertSafety(t, h)
				assert.Equal(t, origin, h.Get("Access-Control-Allow-Origin"), "CORS headers kept")
			})
		}
	})
	t.Run("a handler's page after an informational status is not written over", func(t *testing.T) {
		// net/http sends a 1xx ahead of the final response and the body
		// bytes that follow it with a 200; echoerr must not add its own
		// page to them. A real server: a recorder cannot show a 1xx.
		e := s.serve(t, App{
			Options: []Option{s.f.OnCode(http.StatusConflict, func(c Ctx, _ error) error {
				return c.String(http.StatusEarlyHints, "handler page")
			})},
			Routes: []Endpoint{GET("/x", Fail(s.f.HTTPError(http.StatusConflict, "taken")))},
		})
		srv := httptest.NewServer(e.h)
		defer srv.Close()
		res, body := getOnWire(t, srv, "/x")
		assert.Equal(t, http.StatusOK, res.StatusCode, "what net/http sent the body with")
		assert.Equal(t, "handler page", string(body), "nothing of echoerr's added")
		srv.Close()
		e.records(t, 1)
	})
	// Invariant 1: the status a handler wrote is the final response's.
	// Echo v4's Response counts a 1xx as committed, so without the engine
	// making the response writable before handlers run, the handler's
	// c.JSON(409) lost its status and its body went out with a 200.
	t.Run("a handler's own page after the route's 103 Early Hints goes out with its status", func(t *testing.T) {
		e := s.serve(t, App{
			Options: []Option{s.f.OnAny(func(c Ctx, _ error) error {
				return c.JSON(http.StatusConflict, map[string]bool{"handled": true})
			})},
			Routes: []Endpoint{GET("/x", func(c Ctx) error {
				c.WriteHeader(http.StatusEarlyHints)
				return errors.New("failed after early hints")
			})},
		})
		srv := httptest.NewServer(e.h)
		defer srv.Close()
		res, body := getOnWire(t, srv, "/x")
		assert.Equal(t, http.StatusConflict, res.StatusCode, "the handler's status: %q", body)
		assert.JSONEq(t, `{"handled":true}`, string(body))
		srv.Close()
		assertStatusAttr(t, e.record(t), http.StatusConflict)
	})
	t.Run("another error is rendered, not dispatched again", func(t *testing.T) {
		c := &Calls{}
		rec := s.failing(t, s.f.NotFound(),
			s.f.OnCode(http.StatusNotFound, func(Ctx, error) error { c.Add("404"); return s.f.HTTPError(http.StatusConflict, "Conflict here.") }),
			s.f.OnCode(http.StatusConflict, c.Take("409")),
			s.f.OnAny(c.Take("any")),
		).get("/x")
		assert.Equal(t, []string{"404"}, c.Ran())
		require.Equal(t, http.StatusConflict, rec.Code, "its own status kept")
		assert.Equal(t, "Conflict here.", jsonBody(t, rec)["description"])
	})
	t.Run("a handler's failure is a 500 and both errors are logged", func(t *testing.T) {
		route := errors.New("route failed first")
		e := s.failing(t, route, s.f.OnAny(func(Ctx, error) error { return errors.New("db down in handler") }))
		rec := e.get("/x")
		require.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec))
		assert.NotContains(t, rec.Body.String(), "db down")
		text := RecordText(e.record(t))
		assert.Contains(t, text, "route failed first")
		assert.Contains(t, text, "db down in handler")
	})
	t.Run("returning the given error renders it the default way", func(t *testing.T) {
		for _, err := range []error{s.f.HTTPError(http.StatusConflict, "Taken."), s.f.NotFound(), errors.New("x"), &InvalidAPIUsage{Message: "m"}} {
			ref := s.failing(t, err).get("/x")
			e := s.failing(t, err, s.f.OnAny(func(_ Ctx, err error) error { return err }))
			rec := e.get("/x")
			assert.Equal(t, ref.Code, rec.Code, "%v", err)
			assert.Equal(t, ref.Body.String(), rec.Body.String(), "%v", err)
			e.record(t)
		}
	})
	t.Run("return err from OnType renders the route's whole error with its status", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			err  error
			tag  TypeTag
			code int
			desc string
		}{
			{"a link without a status", s.f.WrapHTTPError(http.StatusUnprocessableEntity, "Check the form.", &ValidationError{Field: "email"}),
				TypeValidation, http.StatusUnprocessableEntity, "Check the form."},
			{"a carrier link below the outer carrier", s.f.NewError(Canonical{Code: http.StatusUnprocessableEntity, Description: "Outer.",
				Err: &InvalidAPIUsage{Message: "Inner.", Code: http.StatusBadRequest}}),
				TypeInvalidAPIUsage, http.StatusUnprocessableEntity, "Outer."},
			{"a carrier link held by an HTTP error", s.f.WrapHTTPError(http.StatusBadRequest, "Bad request.",
				&InvalidAPIUsage{Message: "taken", Code: http.StatusConflict}),
				TypeInvalidAPIUsage, http.StatusBadRequest, "Bad request."},
			{"an interface type's link of an unknown error", fmt.Errorf("query: %w", &TempError{Msg: "connection reset"}),
				TypeTemporary, http.StatusInternalServerError, s.desc(http.StatusInternalServerError)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ref := s.failing(t, tc.err).get("/x")
				e := s.failing(t, tc.err, s.f.OnType(tc.tag, func(_ Ctx, err error) error { return err }))
				rec := e.get("/x")
				require.Equal(t, tc.code, rec.Code)
				assert.Equal(t, tc.desc, jsonBody(t, rec)["description"])
				assert.Equal(t, ref.Code, rec.Code, "as if no handler had run")
				assert.Equal(t, ref.Body.String(), rec.Body.String(), "as if no handler had run")
				assert.Equal(t, ref.Header(), rec.Header(), "as if no handler had run")
				r := e.record(t)
				assertStatusAttr(t, r, tc.code)
				_, failed := RecordAttr(r, "handler_error")
				assert.False(t, failed, "returning the given error is no handler failure: %s", RecordText(r))
				if tc.code < 500 {
					assert.Less(t, r.Level, slog.LevelError, "not a failing handler")
				}
			})
		}
	})
	t.Run("a handler's own page held back by Gzip stands alone", s.handlerPageInGzip)
	t.Run("re-entry through c.Error", s.reentry)
}

// reentry: a handler (or renderer) that calls c.Error itself gets that
// error rendered as if it had returned it, and error handling never
// recurses. Each case runs in a child process: a recursion that overflows
// the stack kills the process.
func (s *suite) reentry(t *testing.T) {
	t.Run("a handler's c.Error is rendered as if returned", func(t *testing.T) {
		isolated(t, func(t *testing.T) {
			c := &Calls{}
			e := s.failing(t, s.f.NotFound(),
				s.f.OnCode(http.StatusNotFound, func(ctx Ctx, _ error) error {
					c.Add("404")
					ctx.Error(s.f.HTTPError(http.StatusNotFound, "Better words."))
					return nil
				}))
			rec := e.get("/x")
			require.Equal(t, http.StatusNotFound, rec.Code)
			assert.Equal(t, "Better words.", jsonBody(t, rec)["description"])
			assert.Equal(t, []string{"404"}, c.Ran(), "not dispatched again")
			assertStatusAttr(t, e.record(t), http.StatusNotFound)
		})
	})
	t.Run("a re-entered error is not dispatched to handlers", func(t *testing.T) {
		isolated(t, func(t *testing.T) {
			c := &Calls{}
			e := s.failing(t, s.f.NotFound(),
				s.f.OnCode(http.StatusNotFound, func(ctx Ctx, _ error) error {
					ctx.Error(s.f.HTTPError(http.StatusConflict, "Taken."))
					return nil
				}),
				s.f.OnCode(http.StatusConflict, c.Take("409")))
			rec := e.get("/x")
			require.Equal(t, http.StatusConflict, rec.Code)
			assert.Equal(t, "Taken.", jsonBody(t, rec)["description"])
			assert.Empty(t, c.Ran())
			assertStatusAttr(t, e.record(t), http.StatusConflict)
		})
	})
	t.Run("c.Error and then Pass: the raised error stands", func(t *testing.T) {
		isolated(t, func(t *testing.T) {
			e := s.failing(t, s.f.NotFound(),
				s.f.OnCode(http.StatusNotFound, func(ctx Ctx, _ error) error {
					ctx.Error(s.f.NewError(Canonical{Code: http.StatusGone, Description: "Gone for good."}))
					return s.f.Pass()
				}))
			rec := e.get("/x")
			require.Equal(t, http.StatusGone, rec.Code)
			assert.Equal(t, "Gone for good.", jsonBody(t, rec)["description"])
			assertStatusAttr(t, e.record(t), http.StatusGone)
		})
	})
	t.Run("c.Error of the same error never recurses", func(t *testing.T) {
		isolated(t, func(t *testing.T) {
			e := s.failing(t, errors.New("boom"), s.f.OnAny(func(ctx Ctx, err error) error {
				ctx.Error(err)
				ctx.Error(err)
				return nil
			}))
			rec := e.get("/x")
			require.Equal(t, http.StatusInternalServerError, rec.Code)
			assert.Equal(t, s.defaultJSON(500), jsonBody(t, rec))
			assertStatusAttr(t, e.record(t), http.StatusInternalServerError)
		})
	})
	t.Run("c.Error of the error it was given, once, renders it", func(t *testing.T) {
		isolated(t, func(t *testing.T) {
			e := s.failing(t, s.f.NotFound(), s.f.OnAny(func(ctx Ctx, err error) error {
				ctx.Error(err)
				return nil
			}))
			rec := e.get("/x")
			require.Equal(t, http.StatusNotFound, rec.Code)
			assert.Equal(t, s.defaultJSON(404), jsonBody(t, rec))
			assertStatusAttr(t, e.record(t), http.StatusNotFound)
		})
	})
	t.Run("c.Error from a renderer never recurses", func(t *testing.T) {
		isolated(t, func(t *testing.T) {
			e := s.failing(t, errors.New("boom"), s.f.WithRenderer(s.f.CustomRenderer("application/json", func(ctx Ctx, fe Canonical) error {
				ctx.Error(errors.New("from the renderer"))
				return nil
			})))
			rec := e.get("/x")
			assert.GreaterOrEqual(t, rec.Code, 200, "an answer")
			assert.Equal(t, http.StatusNotFound, e.get("/nope").Code, "the server lives")
		})
	})
}

// staleHeaders is a route that set content headers for a body it never
// sent, then failed with err.
func staleHeaders(err error) Route {
	return func(c Ctx) error {
		h := c.Header()
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Length", "12345")
		h.Set("Content-Disposition", `attachment; filename="report.pdf"`)
		h.Set("Content-Encoding", "gzip")
		h.Set("ETag", `"v1"`)
		h.Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		return err
	}
}

// assertNoStaleHeaders checks that the headers staleHeaders set are gone.
func assertNoStaleHeaders(t testing.TB, h http.Header) {
	t.Helper()
	for _, k := range []string{"Content-Disposition", "Content-Encoding", "ETag", "Last-Modified"} {
		assert.Empty(t, h.Values(k), "%s is reset", k)
	}
	assert.NotEqual(t, "12345", h.Get("Content-Length"), "Content-Length is reset")
	assert.NotEqual(t, "application/pdf", h.Get("Content-Type"), "Content-Type is reset")
}

// Invariant 1: a page a handler writes itself is the final response, also
// while Gzip holds it in its buffer; it is logged with its own status.
func (s *suite) handlerPageInGzip(t *testing.T) {
	page := s.f.OnCode(http.StatusConflict, func(c Ctx, _ error) error {
		return c.JSON(http.StatusTeapot, map[string]any{"code": http.StatusConflict})
	})
	use := []Middleware{{Kind: KindGzip, MinLength: 2048}, Use(KindEchoerr)}
	e := s.serve(t, App{Options: []Option{page}, Use: use, Routes: []Endpoint{
		GET("/x", Fail(s.f.HTTPError(http.StatusConflict, "The order was already shipped."))),
	}})
	res, body := onConn(t, e.h, "GET /x", "Accept-Encoding: gzip")
	assert.Equal(t, http.StatusTeapot, res.StatusCode)
	assertOneDocument(t, "JSON", decoded(t, res, body))
	assertStatusAttr(t, e.record(t), http.StatusTeapot)
}
