package echoerr_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

const minimal500 = "500 Internal Server Error\n"

// --- The handler contract ---------------------------------------------------

// TestHandlerReturningNilWithNothingWrittenGetsTheDefaultRendering: a
// handler may only observe; the canonical error is then rendered for it.
func TestHandlerReturningNilWithNothingWrittenGetsTheDefaultRendering(t *testing.T) {
	var seen []error
	f := newFixture(t, echoerr.OnCode(http.StatusNotFound, func(_ echo.Context, err error) error {
		seen = append(seen, err)
		return nil
	}))
	rec := f.do(http.MethodGet, "/missing")
	require.Len(t, seen, 1)
	assert.ErrorIs(t, seen[0], echo.ErrNotFound)
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, map[string]any{"code": 404.0, "name": "Not Found", "description": httperr.StatusDescription(404)}, decodeJSON(t, rec.Body))
	assert.Len(t, f.Log.Records(), 1)
}

// TestHandlerReturningAnAdjustedErrorGetsItRendered: FromError, change,
// return: the adjusted error is the response.
func TestHandlerReturningAnAdjustedErrorGetsItRendered(t *testing.T) {
	f := newFixture(t, echoerr.OnCode(http.StatusNotFound, func(_ echo.Context, err error) error {
		fe := echoerr.FromError(err)
		fe.Description = "No such page."
		fe.Extensions = map[string]any{"hint": "try /"}
		fe.Header = http.Header{"X-Hint": {"1"}}
		return fe
	}))
	rec := f.do(http.MethodGet, "/missing")
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "1", rec.Header().Get("X-Hint"))
	assert.Equal(t, map[string]any{"code": 404.0, "name": "Not Found", "description": "No such page.", "hint": "try /"}, decodeJSON(t, rec.Body))
	rs := f.Log.Records()
	require.Len(t, rs, 1)
	assert.NotContains(t, attrs(rs[0]), "handler_error", "an adjusted error is not a handler failure")
}

// TestHandlerReturningAnotherErrorIsRenderedNotDispatched: the returned
// error is rendered with its own status (500 when it has none) and never
// offered to handlers again, so handlers cannot loop.
func TestHandlerReturningAnotherErrorIsRenderedNotDispatched(t *testing.T) {
	for _, tc := range []struct {
		name     string
		returned error
		code     int
		desc     string
	}{
		{"HTTPError", echo.NewHTTPError(http.StatusConflict, "Try again."), 409, "Try again."},
		{"*Error", echoerr.NewError(http.StatusGone, "Gone for good."), 410, "Gone for good."},
		{"status carrier", &codedError{code: 451, msg: "legal"}, 451, httperr.StatusDescription(451)},
		{"error without a status", errors.New("template missing"), 500, httperr.StatusDescription(500)},
		{"error with an invalid status", echo.NewHTTPError(0), 500, httperr.StatusDescription(500)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &tracer{}
			returnIt := func(_ echo.Context, _ error) error { tr.add("404"); return tc.returned }
			f := newFixture(t,
				echoerr.OnCode(404, returnIt),
				echoerr.OnCode(tc.code, tr.take("again")),
				echoerr.OnRange(400, 599, tr.take("range")),
				echoerr.OnHTTPError(tr.take("http")),
				echoerr.OnAny(tr.take("any")),
			)
			rec := f.do(http.MethodGet, "/missing")
			assert.Equal(t, []string{"404"}, tr.Ran(), "the returned error is not dispatched again")
			require.Equal(t, tc.code, rec.Code)
			body := decodeJSON(t, rec.Body)
			assert.Equal(t, tc.desc, body["description"])
			assert.NotContains(t, rec.Body.String(), "template missing")
			assert.Len(t, f.Log.Records(), 1)
		})
	}
}

// TestCatchAllReturningNewErrorsDoesNotLoop: a catch-all that always fails
// anew runs once.
func TestCatchAllReturningNewErrorsDoesNotLoop(t *testing.T) {
	calls := 0
	f := newFixture(t, echoerr.OnAny(func(_ echo.Context, err error) error {
		calls++
		return fmt.Errorf("handling %w failed", errors.New("again"))
	}))
	f.failWith("/x", errors.New("boom"))
	rec := f.do(http.MethodGet, "/x")
	assert.Equal(t, 1, calls)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
}

// TestHandlerReturningTheGivenErrorIsTheDefaultRendering: Flask's
// `return e`: the response is exactly what no handler at all gives.
func TestHandlerReturningTheGivenErrorIsTheDefaultRendering(t *testing.T) {
	routes := map[string]error{
		"/http":    echo.NewHTTPError(http.StatusBadRequest, "Missing name."),
		"/wrapped": fmt.Errorf("x: %w", echo.NewHTTPError(http.StatusConflict, "Taken.")),
		"/unknown": errors.New("boom"),
		"/retry":   echoerr.TooManyRequests("", 0),
	}
	plain := newFixture(t)
	echoing := newFixture(t, echoerr.OnAny(func(_ echo.Context, err error) error { return err }))
	wrapping := newFixture(t, echoerr.OnAny(func(_ echo.Context, err error) error { return fmt.Errorf("seen: %w", err) }))
	for path, err := range routes {
		for _, f := range []*fixture{plain, echoing, wrapping} {
			f.failWith(path, err)
		}
	}
	for path := range routes {
		want := plain.do(http.MethodGet, path)
		for name, f := range map[string]*fixture{"return err": echoing, "return wrapped err": wrapping} {
			got := f.do(http.MethodGet, path)
			assert.Equal(t, want.Code, got.Code, "%s %s", name, path)
			assert.Equal(t, want.Body.String(), got.Body.String(), "%s %s", name, path)
			assert.Equal(t, want.Header(), got.Header(), "%s %s", name, path)
		}
	}
	for _, r := range append(echoing.Log.Records(), wrapping.Log.Records()...) {
		assert.NotContains(t, attrs(r), "handler_error", "returning the given error is no handler failure")
	}
}

// TestHandlerFailureLogsBothErrors: when a handler's own error turns the
// response into a 500, the record holds the route's error and the
// handler's.
func TestHandlerFailureLogsBothErrors(t *testing.T) {
	f := newFixture(t, echoerr.OnCode(http.StatusNotFound, func(echo.Context, error) error {
		return errors.New("template not-found.html: no such file")
	}))
	rec := f.do(http.MethodGet, "/missing")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.NotContains(t, rec.Body.String(), "not-found.html")
	rs := f.Log.Records()
	require.Len(t, rs, 1)
	assert.Equal(t, slog.LevelError, rs[0].Level)
	a := attrs(rs[0])
	assert.Contains(t, a["error"], "Not Found")
	assert.Equal(t, "template not-found.html: no such file", a["handler_error"])
	assert.Len(t, f.Reports.Reports(), 1)
}

// TestHandlerPanicGivesMinimal500: a panic in a handler is recovered,
// answered with a minimal safe 500 and logged with the panic, once.
func TestHandlerPanicGivesMinimal500(t *testing.T) {
	f := newFixture(t,
		echoerr.OnCode(http.StatusNotFound, func(echo.Context, error) error { panic("handler bug") }),
		echoerr.OnType(func(_ echo.Context, e *nilDeref) error { var nilPtr *nilDeref; _ = nilPtr.StatusCode(); return nil }),
	)
	f.failWith("/typed", &nilDeref{code: 400})
	for _, path := range []string{"/missing", "/typed"} {
		var rec *httpRecorder
		require.NotPanics(t, func() { rec = f.do(http.MethodGet, path) })
		assert.Equal(t, http.StatusInternalServerError, rec.Code)
		assert.Equal(t, minimal500, rec.Body.String())
		assert.Equal(t, echo.MIMETextPlainCharsetUTF8, rec.Header().Get(echo.HeaderContentType))
		assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	}
	rs := f.Log.Records()
	require.Len(t, rs, 2)
	assert.Equal(t, slog.LevelError, rs[0].Level)
	assert.Equal(t, "handler bug", attrs(rs[0])["panic"])
	assert.Contains(t, attrs(rs[0])["panic_stack"], "echoerr_test")
	assert.Equal(t, "500", attrs(rs[0])["status"])
	assert.Contains(t, attrs(rs[1])["panic"], "nil pointer")
	assert.Len(t, f.Reports.Reports(), 2)
}

// TestTypedHandlerPanicDeepInAChain: a panic in an OnType or OnError
// handler matched deep in a long chain is not swallowed by the chain walk:
// it is answered with the minimal 500 and logged, and no lower rung runs.
func TestTypedHandlerPanicDeepInAChain(t *testing.T) {
	for _, depth := range []int{0, 3, 20, 100} {
		err := deepWrap(&codedError{code: 409, msg: "deep"}, depth)
		tr := &tracer{}
		f := newFixture(t,
			echoerr.OnType(func(echo.Context, *codedError) error { panic("typed handler bug") }),
			echoerr.OnCode(409, tr.take("code")),
			echoerr.OnAny(tr.take("any")),
		)
		f.failWith("/x", err)
		rec := f.do(http.MethodGet, "/x")
		assert.Equal(t, http.StatusInternalServerError, rec.Code, "depth %d", depth)
		assert.Equal(t, minimal500, rec.Body.String(), "depth %d", depth)
		assert.Empty(t, tr.Ran(), "depth %d", depth)
		require.Len(t, f.Log.Records(), 1)
		assert.Equal(t, "typed handler bug", attrs(f.Log.Records()[0])["panic"], "depth %d", depth)
	}
}

// TestHandlerWritingItsOwnResponse: a handler that writes a response and
// returns nil keeps it as written; so does one that writes and then fails.
func TestHandlerWritingItsOwnResponse(t *testing.T) {
	f := newFixture(t,
		echoerr.OnCode(http.StatusNotFound, func(c echo.Context, _ error) error {
			return c.HTML(http.StatusNotFound, "<h1>Lost?</h1>")
		}),
		echoerr.OnCode(http.StatusConflict, func(c echo.Context, _ error) error {
			_ = c.String(http.StatusConflict, "partial")
			return errors.New("then failed")
		}),
	)
	f.failWith("/conflict", echo.NewHTTPError(http.StatusConflict))
	rec := f.do(http.MethodGet, "/missing")
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "<h1>Lost?</h1>", rec.Body.String())
	assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, rec.Header().Get(echo.HeaderContentType))

	rec = f.do(http.MethodGet, "/conflict")
	assert.Equal(t, http.StatusConflict, rec.Code)
	assert.Equal(t, "partial", rec.Body.String())
	rs := f.Log.Records()
	require.Len(t, rs, 2)
	assert.Equal(t, "then failed", attrs(rs[1])["handler_error"])
}

// --- Response rules -------------------------------------------------------

// TestCommittedResponseIsLeftAlone: a route that already wrote its
// response gets nothing more written; no handler runs; the error is still
// logged and reported, once.
func TestCommittedResponseIsLeftAlone(t *testing.T) {
	tr := &tracer{}
	f := newFixture(t, echoerr.OnAny(tr.take("any")))
	f.E.GET("/stream", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextPlain)
		c.Response().WriteHeader(http.StatusOK)
		_, _ = c.Response().Write([]byte("first half"))
		return errors.New("stream broke")
	})
	rec := f.do(http.MethodGet, "/stream")
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "first half", rec.Body.String())
	assert.Equal(t, echo.MIMETextPlain, rec.Header().Get(echo.HeaderContentType))
	assert.Empty(t, rec.Header().Get("X-Content-Type-Options"), "headers are not touched after commit")
	assert.Empty(t, tr.Ran())
	rs := f.Log.Records()
	require.Len(t, rs, 1)
	assert.Equal(t, slog.LevelError, rs[0].Level)
	assert.Equal(t, "stream broke", attrs(rs[0])["error"])
	assert.Len(t, f.Reports.Reports(), 1)
}

// TestHEADGetsStatusAndHeadersWithoutBody.
func TestHEADGetsStatusAndHeadersWithoutBody(t *testing.T) {
	f := newFixture(t)
	f.E.HEAD("/conflict", func(echo.Context) error { return echoerr.TooManyRequests("", 2_000_000_000) })
	for path, code := range map[string]int{"/missing": 404, "/conflict": 429} {
		rec := f.do(http.MethodHead, path)
		assert.Equal(t, code, rec.Code)
		assert.Empty(t, rec.Body.String())
		assert.NotEmpty(t, rec.Header().Get(echo.HeaderContentLength), "the length the body would have had")
		assert.Equal(t, echo.MIMEApplicationJSON, rec.Header().Get(echo.HeaderContentType))
		assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
		assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	}
	assert.Equal(t, "2", f.do(http.MethodHead, "/conflict").Header().Get("Retry-After"))
}

// TestHeadersSetEarlierSurviveAndContentHeadersAreReset: headers set by
// middleware and the route are kept, except those describing a body the
// error response replaces.
func TestHeadersSetEarlierSurviveAndContentHeadersAreReset(t *testing.T) {
	f := newFixture(t)
	f.E.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("X-Trace", "abc")
			h.Set("Vary", "Accept-Encoding")
			return next(c)
		}
	})
	f.E.GET("/download", func(c echo.Context) error {
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "text/csv")
		h.Set(echo.HeaderContentLength, "99999")
		h.Set(echo.HeaderContentDisposition, `attachment; filename="r.csv"`)
		h.Set(echo.HeaderContentEncoding, "gzip")
		h.Set("ETag", `"v1"`)
		h.Set(echo.HeaderLastModified, "Mon, 02 Jan 2006 15:04:05 GMT")
		h.Set("Cache-Control", "max-age=3600")
		return errors.New("query failed")
	})
	rec := f.do(http.MethodGet, "/download")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	h := rec.Header()
	assert.Equal(t, "abc", h.Get("X-Trace"))
	assert.Equal(t, "Accept-Encoding", h.Get("Vary"))
	assert.Equal(t, echo.MIMEApplicationJSON, h.Get(echo.HeaderContentType))
	assertContentLength(t, rec)
	for _, k := range []string{echo.HeaderContentDisposition, echo.HeaderContentEncoding, "ETag", echo.HeaderLastModified} {
		assert.NotContains(t, h, http.CanonicalHeaderKey(k))
	}
	assert.Equal(t, []string{"no-store"}, h.Values("Cache-Control"))
	assert.Equal(t, []string{"nosniff"}, h.Values("X-Content-Type-Options"))
}

// TestCORSHeaderSurvives: a header set by Echo's real CORS middleware is on
// a routing 404 and on a route's 500.
func TestCORSHeaderSurvives(t *testing.T) {
	for name, tc := range map[string]struct {
		mw   echo.MiddlewareFunc
		want string
	}{
		"CORS()":           {middleware.CORS(), "*"},
		"CORSWithConfig()": {middleware.CORSWithConfig(middleware.CORSConfig{AllowOrigins: []string{"https://app.example"}}), "https://app.example"},
	} {
		f := newFixture(t)
		f.E.Use(tc.mw)
		f.failWith("/fail", errors.New("boom"))
		for path, code := range map[string]int{"/missing": 404, "/fail": 500} {
			rec := f.do(http.MethodGet, path, "Origin: https://app.example")
			assert.Equal(t, code, rec.Code, "%s %s", name, path)
			assert.Equal(t, tc.want, rec.Header().Get(echo.HeaderAccessControlAllowOrigin), "%s %s", name, path)
			assert.Contains(t, rec.Header().Values(echo.HeaderVary), echo.HeaderOrigin, "%s %s", name, path)
		}
	}
}

// TestSafetyHeadersOnEveryErrorResponse: nosniff and no-store on rendered,
// minimal and routing responses.
func TestSafetyHeadersOnEveryErrorResponse(t *testing.T) {
	f := newFixture(t, echoerr.OnCode(http.StatusTeapot, func(echo.Context, error) error { panic("x") }))
	f.E.GET("/only", okHandler)
	f.failWith("/teapot", echo.NewHTTPError(http.StatusTeapot))
	f.failWith("/fail", errors.New("boom"))
	for _, r := range []struct{ method, path string }{{"GET", "/missing"}, {"POST", "/only"}, {"GET", "/teapot"}, {"GET", "/fail"}, {"HEAD", "/fail"}} {
		rec := f.do(r.method, r.path)
		assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"), r.path)
		assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"), r.path)
	}
}

// failingRenderer fails without writing, as a broken template would.
type failingRenderer struct{}

func (failingRenderer) Render(echo.Context, *echoerr.Error) error {
	return errors.New("template: error.html: undefined function")
}

// halfRenderer writes the status and half a body, then fails.
type halfRenderer struct{}

func (halfRenderer) Render(c echo.Context, e *echoerr.Error) error {
	c.Response().WriteHeader(e.Code)
	_, _ = c.Response().Write([]byte("<html><body>"))
	return errors.New("template broke halfway")
}

// TestFailingRendererGivesMinimalPage: a renderer that fails before writing
// (the built-in ones render into a buffer first) leads to a minimal
// plain-text page with the error's status, and the failure is logged.
func TestFailingRendererGivesMinimalPage(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(failingRenderer{}))
	f.failWith("/conflict", echo.NewHTTPError(http.StatusConflict, "Taken."))
	rec := f.do(http.MethodGet, "/conflict")
	require.Equal(t, http.StatusConflict, rec.Code)
	assert.Equal(t, "409 Conflict\n", rec.Body.String())
	assert.Equal(t, echo.MIMETextPlainCharsetUTF8, rec.Header().Get(echo.HeaderContentType))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	rs := f.Log.Records()
	require.Len(t, rs, 1)
	assert.Equal(t, slog.LevelError, rs[0].Level)
	assert.Contains(t, attrs(rs[0])["render_error"], "undefined function")

	// A renderer that wrote before failing: nothing is appended to its output.
	f = newFixture(t, echoerr.WithRenderer(halfRenderer{}))
	rec = f.do(http.MethodGet, "/missing")
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "<html><body>", rec.Body.String())
	require.Len(t, f.Log.Records(), 1)
}

// panicRenderer panics, as a buggy custom renderer might.
type panicRenderer struct{}

func (panicRenderer) Render(echo.Context, *echoerr.Error) error { panic("renderer bug") }

// TestPanickingRendererGivesMinimal500: a renderer's panic is recovered,
// answered with the minimal 500 and logged, once.
func TestPanickingRendererGivesMinimal500(t *testing.T) {
	f := newFixture(t, echoerr.WithRenderer(panicRenderer{}))
	var rec *httpRecorder
	require.NotPanics(t, func() { rec = f.do(http.MethodGet, "/missing") })
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, minimal500, rec.Body.String())
	rs := f.Log.Records()
	require.Len(t, rs, 1)
	assert.Equal(t, slog.LevelError, rs[0].Level)
	assert.Equal(t, "renderer bug", attrs(rs[0])["panic"])
	assert.Len(t, f.Reports.Reports(), 1, "the 500 the client got is reported")
}

// --- Public text versus internal detail ----------------------------------

const secret = "hunter2-secret"

// secretErrors are errors whose text holds a secret that must stay internal.
func secretErrors() map[string]error {
	return map[string]error{
		"unknown":                errors.New("pq: password " + secret),
		"wrapped unknown":        fmt.Errorf("load: %w", errors.New(secret)),
		"joined":                 errors.Join(errors.New(secret), errors.New("other")),
		"HTTPError Internal":     echo.NewHTTPError(http.StatusBadGateway).SetInternal(errors.New(secret)),
		"4xx HTTPError Internal": echo.NewHTTPError(http.StatusBadRequest, "Bad input.").SetInternal(errors.New(secret)),
		"*Error Err":             &echoerr.Error{Code: http.StatusServiceUnavailable, Err: errors.New(secret)},
		"carrier's own text":     &codedError{code: 502, msg: secret},
		"deadline":               fmt.Errorf("%s: %w", secret, contextDeadline()),
		"typed nil deref":        &wrapError{msg: secret, err: (*nilDeref)(nil)},
	}
}

// TestUnknownErrorTextNeverShownOutsideDebug: outside debug mode (the
// default, and WithDebug(false) even when e.Debug is on) the text of an
// error never reaches the body or headers.
func TestUnknownErrorTextNeverShownOutsideDebug(t *testing.T) {
	for _, mode := range []struct {
		name      string
		echoDebug bool
		opts      []echoerr.Option
	}{
		{"default", false, nil},
		{"WithDebug(false) beats e.Debug", true, []echoerr.Option{echoerr.WithDebug(false)}},
	} {
		f := newFixture(t, mode.opts...)
		f.E.Debug = mode.echoDebug
		for name, err := range secretErrors() {
			f.failWith("/"+strings.ReplaceAll(name, " ", "-"), err)
		}
		for name := range secretErrors() {
			rec := f.do(http.MethodGet, "/"+strings.ReplaceAll(name, " ", "-"))
			assert.NotContains(t, rec.Body.String(), secret, "%s: %s", mode.name, name)
			assert.NotContains(t, fmt.Sprint(rec.Header()), secret, "%s: %s", mode.name, name)
			assert.NotContains(t, decodeJSON(t, rec.Body), "debug")
		}
	}
}

// TestDebugModeAddsTheChain: WithDebug(true), or e.Debug without WithDebug,
// adds the chain (type and message of each link) and the request line.
func TestDebugModeAddsTheChain(t *testing.T) {
	routeErr := fmt.Errorf("load user: %w", errors.New("pq: no rows"))
	for name, setup := range map[string]func() *fixture{
		"WithDebug(true)": func() *fixture { return newFixture(t, echoerr.WithDebug(true)) },
		"e.Debug": func() *fixture {
			f := newFixture(t)
			f.E.Debug = true
			return f
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := setup()
			f.failWith("/users/:id", routeErr)
			rec := f.do(http.MethodGet, "/users/7?x=1")
			require.Equal(t, http.StatusInternalServerError, rec.Code)
			body := decodeJSON(t, rec.Body)
			assert.Equal(t, httperr.StatusDescription(500), body["description"], "the description stays public")
			debug, ok := body["debug"].(map[string]any)
			require.True(t, ok, "debug member: %s", rec.Body)
			assert.Equal(t, []any{
				map[string]any{"type": "*fmt.wrapError", "message": "load user: pq: no rows"},
				map[string]any{"type": "*errors.errorString", "message": "pq: no rows"},
			}, debug["chain"])
			assert.Equal(t, "GET /users/7?x=1 HTTP/1.1", debug["request"])
		})
	}
}

// TestDebugModeShowsTheStackOfARecoveredPanic: with RecoverStack, the
// panic's stack is in the debug member and in the log.
func TestDebugModeShowsTheStackOfARecoveredPanic(t *testing.T) {
	f := newFixture(t, echoerr.WithDebug(true))
	f.E.Use(echoerr.Recover())
	f.E.GET("/panic", func(echo.Context) error { panic("route bug") })
	rec := f.do(http.MethodGet, "/panic")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	debug := decodeJSON(t, rec.Body)["debug"].(map[string]any)
	assert.Contains(t, debug["stack"], "goroutine")
	require.Len(t, f.Log.Records(), 1)
	assert.Contains(t, attrs(f.Log.Records()[0])["stack"], "goroutine")
}

// TestSecretHeadersNeverInAnyBody: the values of Authorization, Cookie,
// Set-Cookie and Proxy-Authorization never appear in a body, in debug mode
// too, even when an error message quotes them: in the debug chain, or in
// the public description and extensions of an error.
func TestSecretHeadersNeverInAnyBody(t *testing.T) {
	const (
		token   = "tok-AAA-111"
		cookie  = "cookie-BBB-222"
		proxyPW = "proxy-CCC-333"
		setCk   = "setcookie-DDD-444"
	)
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + proxyPW))
	secrets := []string{token, cookie, proxyPW, basic, setCk}
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			f := newFixture(t, echoerr.WithDebug(debug))
			quote := func(c echo.Context) string {
				return fmt.Sprintf("auth=%q cookie=%q proxy=%q set-cookie=%q",
					c.Request().Header.Get("Authorization"), c.Request().Header.Get("Cookie"),
					c.Request().Header.Get("Proxy-Authorization"), c.Response().Header().Get("Set-Cookie"))
			}
			f.E.GET("/unknown", func(c echo.Context) error {
				c.SetCookie(&http.Cookie{Name: "sid", Value: setCk})
				return fmt.Errorf("login: %w", errors.New(quote(c)))
			})
			f.E.GET("/internal", func(c echo.Context) error {
				c.SetCookie(&http.Cookie{Name: "sid", Value: setCk})
				return echo.NewHTTPError(http.StatusUnauthorized, "Bad credentials.").SetInternal(errors.New(quote(c)))
			})
			f.E.GET("/public", func(c echo.Context) error {
				fe := echoerr.NewError(http.StatusUnauthorized, "Bad credentials: "+quote(c)+" (dark mode)")
				fe.Extensions = map[string]any{"sent": quote(c)}
				return fe
			})
			for _, path := range []string{"/unknown", "/internal", "/public"} {
				rec := f.do(http.MethodGet, path,
					"Authorization: Bearer "+token,
					"Cookie: session="+cookie+"; theme=dark",
					"Proxy-Authorization: Basic "+basic,
				)
				body := rec.Body.String()
				if debug {
					assert.Contains(t, body, "[redacted]", "%s: the debug chain is there, redacted", path)
				}
				for _, s := range secrets {
					assert.NotContains(t, body, s, path)
				}
				if path == "/public" {
					assert.Contains(t, body, "(dark mode)", "short cookie values are no secrets and are left alone")
				}
			}
		})
	}
}

// --- Robustness --------------------------------------------------------------

// TestConcurrentUse: one handler serves many requests at once (run with
// -race); typed and interface handlers share their caches safely.
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t,
		echoerr.OnType(func(echo.Context, temporary) error { return echoerr.Pass }),
		echoerr.OnType(func(echo.Context, *codedError) error { return nil }),
		echoerr.OnError(errQuota, func(echo.Context, error) error { return echoerr.Pass }),
		echoerr.OnRange(400, 499, func(echo.Context, error) error { return nil }),
	)
	f.failWith("/temp", &wrapError{msg: "w", err: &tempError{msg: "t"}})
	f.failWith("/coded", fmt.Errorf("x: %w", &codedError{code: 409, msg: "c"}))
	f.failWith("/quota", errQuota)
	want := map[string]int{"/temp": 500, "/coded": 409, "/quota": 429, "/missing": 404}
	done := make(chan struct{})
	const workers, rounds = 8, 25
	for w := 0; w < workers; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < rounds; i++ {
				for path, code := range want {
					if rec := f.do(http.MethodGet, path); rec.Code != code {
						t.Errorf("%s: got %d, want %d", path, rec.Code, code)
					}
				}
			}
		}()
	}
	for w := 0; w < workers; w++ {
		<-done
	}
	assert.Len(t, f.Log.Records(), workers*rounds*len(want))
}

// FuzzEntryPath drives the whole entry path with errors built from fuzzed
// statuses, messages, wrapping and joining: it never panics, the response
// status is what StatusOf says (nothing is written for a gone client), the
// body is valid JSON with that code (empty for HEAD), the text of an
// unknown error stays out of the body outside debug mode, and each request
// is logged once.
func FuzzEntryPath(f *testing.F) {
	f.Add(404, "not here", uint8(0), uint8(0), false, false, false)
	f.Add(0, "zero", uint8(0), uint8(2), true, false, false)
	f.Add(500, "db down", uint8(2), uint8(3), false, true, true)
	f.Add(1000, "\xff<script>", uint8(1), uint8(1), true, true, false)
	f.Add(-1, "", uint8(4), uint8(4), false, false, false)
	f.Add(499, "gone", uint8(3), uint8(0), false, false, true)
	f.Fuzz(func(t *testing.T, code int, msg string, kind, depth uint8, join, head, debug bool) {
		const marker = "SECRET-"
		var err error
		switch kind % 5 {
		case 0:
			err = echo.NewHTTPError(code, msg)
		case 1:
			err = &echoerr.Error{Code: code, Description: msg}
		case 2:
			err = errors.New(marker + msg)
		case 3:
			err = &codedError{code: code, msg: marker + msg}
		case 4:
			err = context.Canceled
		}
		err = deepWrap(err, int(depth%8))
		if join {
			err = errors.Join(errors.New(marker+"other"), err)
		}
		fx := newFixture(t, echoerr.WithDebug(debug))
		fx.failWith("/x", err)
		fx.E.HEAD("/x", func(echo.Context) error { return err })
		method := http.MethodGet
		if head {
			method = http.MethodHead
		}
		rec := fx.do(method, "/x")
		want := echoerr.StatusOf(err)
		require.Len(t, fx.Log.Records(), 1)
		if kind%5 == 4 {
			want = http.StatusInternalServerError // cancelled work while the client is connected
		}
		require.Equal(t, want, rec.Code)
		require.True(t, want >= 200 && want <= 999, "status %d", want)
		if head || want == http.StatusNoContent || want == http.StatusNotModified {
			require.Empty(t, rec.Body.String(), "HEAD, 204 and 304 have no body")
			return
		}
		var body map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
		require.EqualValues(t, want, body["code"])
		if !debug && (kind%5 == 2 || kind%5 == 3 || join) {
			require.NotContains(t, rec.Body.String(), marker)
		}
	})
}
