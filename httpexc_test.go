package echoerr_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

// TestNormalizeStatusCarriers: the status comes from the outermost status
// carrier, found through %w wrapping and errors.Join, which Echo's default
// handler turns into 500.
func TestNormalizeStatusCarriers(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"HTTPError", echo.NewHTTPError(http.StatusConflict), 409},
		{"HTTPError wrapped with %w", fmt.Errorf("save: %w", echo.NewHTTPError(http.StatusConflict)), 409},
		{"HTTPError wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", echo.ErrForbidden)), 403},
		{"HTTPError joined after a plain error", errors.Join(errors.New("plain"), echo.ErrNotFound), 404},
		{"HTTPError joined and wrapped", fmt.Errorf("x: %w", errors.Join(errors.New("plain"), echo.ErrNotFound)), 404},
		{"HTTPError in Internal wins", echo.NewHTTPError(http.StatusInternalServerError).SetInternal(echo.NewHTTPError(http.StatusTeapot)), 418},
		{"HTTPError in Internal of a wrapped HTTPError", fmt.Errorf("x: %w", echo.ErrBadGateway.WithInternal(echo.ErrUnauthorized)), 401},
		{"*Error", echoerr.NewError(http.StatusGone, ""), 410},
		{"*Error wrapped", fmt.Errorf("x: %w", echoerr.NewError(http.StatusGone, "")), 410},
		{"StatusCode() method", &codedError{code: 451, msg: "legal"}, 451},
		{"StatusCode() method wrapped", fmt.Errorf("x: %w", &codedError{code: 451, msg: "legal"}), 451},
		{"outermost carrier wins", fmt.Errorf("x: %w", &echoerr.Error{Code: 409, Err: echo.ErrNotFound}), 409},
		{"carrier beats a deeper context.Canceled", echo.NewHTTPError(http.StatusRequestTimeout).SetInternal(context.Canceled), 408},
		{"context.DeadlineExceeded", context.DeadlineExceeded, 503},
		{"context.DeadlineExceeded wrapped", fmt.Errorf("query: %w", context.DeadlineExceeded), 503},
		{"unknown error", errors.New("boom"), 500},
		{"a status code explicitly 499 is sent", echo.NewHTTPError(httperr.StatusClientClosedRequest), 499},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, echoerr.StatusOf(tc.err), "StatusOf")
			assert.Equal(t, tc.want, echoerr.FromError(tc.err).Code, "FromError")
			f := newFixture(t)
			f.failWith("/x", tc.err)
			rec := f.do(http.MethodGet, "/x")
			assert.Equal(t, tc.want, rec.Code, "response")
			assert.EqualValues(t, tc.want, decodeJSON(t, rec.Body)["code"])
		})
	}
}

// TestClientGoneWritesNothing: context.Canceled while the request's
// context is done means the client went away: status 499 is recorded for
// access logs, nothing is written, no handler runs, it is logged at Debug
// and not reported.
func TestClientGoneWritesNothing(t *testing.T) {
	for _, err := range []error{context.Canceled, fmt.Errorf("query: %w", context.Canceled)} {
		tr := &tracer{}
		f := newFixture(t, echoerr.OnAny(tr.take("any")), echoerr.OnCode(499, tr.take("499")))
		var status int
		var committed bool
		handle := f.E.HTTPErrorHandler
		f.E.HTTPErrorHandler = func(err error, c echo.Context) {
			handle(err, c)
			status, committed = c.Response().Status, c.Response().Committed
		}
		f.failWith("/x", err)
		rec := httptest.NewRecorder()
		f.E.ServeHTTP(rec, canceledRequest("/x"))
		assert.Equal(t, httperr.StatusClientClosedRequest, status, "c.Response().Status")
		assert.False(t, committed)
		assert.False(t, rec.Flushed)
		assert.Empty(t, rec.Body.String())
		assert.Empty(t, rec.Header())
		assert.Empty(t, tr.Ran(), "no handler runs for a gone client")
		require.Len(t, f.Log.Records(), 1)
		assert.Equal(t, slog.LevelDebug, f.Log.Records()[0].Level)
		assert.Empty(t, f.Reports.Reports())
		assert.Equal(t, httperr.StatusClientClosedRequest, echoerr.StatusOf(err))
	}
}

// TestInvalidStatusBecomes500: a carrier's status outside 100–999 is a
// server bug: the client gets a 500 (no panic from net/http), and the log
// record says so at Error with the bad status. 1xx counts as invalid too:
// net/http would send it as an interim response and then a 200.
func TestInvalidStatusBecomes500(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		bad  int
	}{
		{"HTTPError 0", echo.NewHTTPError(0), 0},
		{"HTTPError -1", echo.NewHTTPError(-1), -1},
		{"HTTPError 1000", echo.NewHTTPError(1000), 1000},
		{"HTTPError 100", echo.NewHTTPError(100), 100},
		{"HTTPError 199 wrapped", fmt.Errorf("x: %w", echo.NewHTTPError(199)), 199},
		{"*Error 42", &echoerr.Error{Code: 42}, 42},
		{"*Error 0 wrapped", fmt.Errorf("x: %w", &echoerr.Error{}), 0},
		{"StatusCode() 1000", &codedError{code: 1000, msg: "big"}, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, http.StatusInternalServerError, echoerr.StatusOf(tc.err))
			f := newFixture(t)
			f.failWith("/x", tc.err)
			var rec *httpRecorder
			require.NotPanics(t, func() { rec = f.do(http.MethodGet, "/x") })
			require.Equal(t, http.StatusInternalServerError, rec.Code)
			body := decodeJSON(t, rec.Body)
			assert.Equal(t, "Internal Server Error", body["name"])
			assert.Equal(t, httperr.StatusDescription(500), body["description"])
			require.Len(t, f.Log.Records(), 1)
			r := f.Log.Records()[0]
			assert.Equal(t, slog.LevelError, r.Level)
			assert.Equal(t, strconv.Itoa(tc.bad), attrs(r)["invalid_status"])
			assert.Equal(t, "500", attrs(r)["status"])
		})
	}
}

// nilDeref is a custom error whose methods dereference the receiver, so a
// typed nil of it panics on Error() and StatusCode().
type nilDeref struct{ code int }

func (e *nilDeref) Error() string   { return "code " + strconv.Itoa(e.code) }
func (e *nilDeref) StatusCode() int { return e.code }

// TestTypedNilErrors: a route returning a typed nil pointer as an error
// gets a safe JSON 500 and a log record, never a crash.
func TestTypedNilErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"nil *echo.HTTPError", (*echo.HTTPError)(nil)},
		{"nil *echoerr.Error", (*echoerr.Error)(nil)},
		{"nil custom pointer that dereferences", (*nilDeref)(nil)},
		{"nil custom pointer wrapped", &wrapError{msg: "wrapped", err: (*echo.HTTPError)(nil)}},
		{"nil pointer deep in a long chain", deepWrap(&wrapError{msg: "wrapped", err: (*echo.HTTPError)(nil)}, 40)},
	} {
		for _, debug := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/debug=%v", tc.name, debug), func(t *testing.T) {
				// A rung-1 handler makes dispatch walk the chain too.
				f := newFixture(t, echoerr.WithDebug(debug), echoerr.OnType(func(echo.Context, *tempError) error { return nil }))
				f.failWith("/x", tc.err)
				var rec *httpRecorder
				require.NotPanics(t, func() { rec = f.do(http.MethodGet, "/x") })
				require.Equal(t, http.StatusInternalServerError, rec.Code)
				assert.Equal(t, echo.MIMEApplicationJSON, rec.Header().Get(echo.HeaderContentType))
				body := decodeJSON(t, rec.Body)
				assert.Equal(t, "Internal Server Error", body["name"])
				assert.Equal(t, debug, body["debug"] != nil)
				require.Len(t, f.Log.Records(), 1)
				assert.Equal(t, "request failed", f.Log.Records()[0].Message, "logged normally, not as a panic")
				assert.NotEmpty(t, attrs(f.Log.Records()[0])["error"])
				assert.Len(t, f.Reports.Reports(), 1)
				assert.NotPanics(t, func() { echoerr.StatusOf(tc.err); echoerr.FromError(tc.err) })
			})
		}
	}
}

// TestDefaultDescriptionsForEveryStandardStatus: every standard 4xx and 5xx
// status has its own description (not the generic fallback of its class),
// and it is what a bare HTTPError of that status renders.
func TestDefaultDescriptionsForEveryStandardStatus(t *testing.T) {
	generic := map[string]bool{httperr.StatusDescription(490): true, httperr.StatusDescription(590): true}
	seen := map[string]int{}
	f := newFixture(t)
	f.E.GET("/status/:code", func(c echo.Context) error {
		code, _ := strconv.Atoi(c.Param("code"))
		return echo.NewHTTPError(code)
	})
	for code := 400; code <= 511; code++ {
		if http.StatusText(code) == "" {
			continue
		}
		d := httperr.StatusDescription(code)
		assert.NotEmpty(t, d, "status %d", code)
		assert.False(t, generic[d], "status %d has only the generic description", code)
		if prev, dup := seen[d]; dup {
			t.Errorf("statuses %d and %d share the description %q", prev, code, d)
		}
		seen[d] = code

		rec := f.do(http.MethodGet, "/status/"+strconv.Itoa(code))
		require.Equal(t, code, rec.Code)
		body := decodeJSON(t, rec.Body)
		assert.Equal(t, http.StatusText(code), body["name"], "status %d", code)
		assert.Equal(t, d, body["description"], "status %d", code)
	}
}

// TestNamesForCodesWithoutReasonPhrase: 499 has nginx's name; other codes
// without a reason phrase are "Error NNN", in StatusName and in responses.
func TestNamesForCodesWithoutReasonPhrase(t *testing.T) {
	assert.Equal(t, "Client Closed Request", httperr.StatusName(499))
	assert.Equal(t, "Not Found", httperr.StatusName(404))
	for _, code := range []int{599, 799, 999} {
		want := "Error " + strconv.Itoa(code)
		assert.Equal(t, want, httperr.StatusName(code))
		f := newFixture(t)
		f.failWith("/x", echo.NewHTTPError(code))
		rec := f.do(http.MethodGet, "/x")
		require.Equal(t, code, rec.Code)
		body := decodeJSON(t, rec.Body)
		assert.Equal(t, want, body["name"])
		assert.NotEmpty(t, body["description"])
	}
}

// TestHandBuiltErrorGetsNameAndDescription: an *Error with only a Code (and
// perhaps a Description) has the rest filled in.
func TestHandBuiltErrorGetsNameAndDescription(t *testing.T) {
	f := newFixture(t)
	f.failWith("/code", &echoerr.Error{Code: http.StatusNotFound})
	f.failWith("/desc", &echoerr.Error{Code: http.StatusNotFound, Description: "No such user."})
	body := decodeJSON(t, f.do(http.MethodGet, "/code").Body)
	assert.Equal(t, map[string]any{"code": 404.0, "name": "Not Found", "description": httperr.StatusDescription(404)}, body)
	body = decodeJSON(t, f.do(http.MethodGet, "/desc").Body)
	assert.Equal(t, map[string]any{"code": 404.0, "name": "Not Found", "description": "No such user."}, body)

	fe := echoerr.FromError(&echoerr.Error{Code: http.StatusTeapot})
	assert.Equal(t, "I'm a teapot", fe.Name)
	assert.Equal(t, httperr.StatusDescription(418), fe.Description)
}

// TestErrorMethods: *Error is an error for logs, unwraps to Err, and knows
// its status; a nil *Error does not panic.
func TestErrorMethods(t *testing.T) {
	cause := errors.New("disk full")
	fe := &echoerr.Error{Code: 507, Description: "No space.", Err: cause}
	assert.Equal(t, "507 Insufficient Storage: No space.: disk full", fe.Error())
	assert.ErrorIs(t, fe, cause)
	assert.Equal(t, 507, fe.StatusCode())
	assert.Nil(t, fe.Debug)
	var nilErr *echoerr.Error
	assert.NotPanics(t, func() { _, _, _ = nilErr.Error(), nilErr.Unwrap(), nilErr.StatusCode() })
}

// TestFromErrorIsACopy: FromError keeps the error in Err, never shows an
// unknown error's text, and returns copies the caller may change.
func TestFromErrorIsACopy(t *testing.T) {
	unknown := errors.New("pq: password authentication failed")
	fe := echoerr.FromError(unknown)
	assert.Equal(t, 500, fe.Code)
	assert.Same(t, unknown, fe.Err)
	assert.NotContains(t, fe.Description, "password")

	orig := echoerr.Unauthorized("", `Bearer realm="api"`)
	orig.Extensions = map[string]any{"k": "v"}
	cp := echoerr.FromError(orig)
	cp.Header.Set("Www-Authenticate", "changed")
	cp.Extensions["k"] = "changed"
	assert.Equal(t, `Bearer realm="api"`, orig.Header.Get("Www-Authenticate"))
	assert.Equal(t, "v", orig.Extensions["k"])
	assert.Equal(t, http.StatusOK, echoerr.StatusOf(nil))
}

// TestConstructorsCarryTheirHeaders: the constructors' headers reach the
// response, also when the error is wrapped.
func TestConstructorsCarryTheirHeaders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		code   int
		header string
		want   string
	}{
		{"an Error with Allow", &echoerr.Error{Code: http.StatusMethodNotAllowed, Header: http.Header{"Allow": {"GET, POST"}}}, 405, "Allow", "GET, POST"},
		{"Unauthorized", echoerr.Unauthorized("", `Bearer realm="api"`), 401, "WWW-Authenticate", `Bearer realm="api"`},
		{"Unauthorized wrapped", fmt.Errorf("auth: %w", echoerr.Unauthorized("", `Basic realm="x"`)), 401, "WWW-Authenticate", `Basic realm="x"`},
		{"TooManyRequests rounds up", echoerr.TooManyRequests("", 1500*time.Millisecond), 429, "Retry-After", "2"},
		{"ServiceUnavailable", echoerr.ServiceUnavailable("", 30*time.Second), 503, "Retry-After", "30"},
		{"TooManyRequests without a delay", echoerr.TooManyRequests("", 0), 429, "Retry-After", ""},
		{"BadRequest", echoerr.BadRequest("Missing name."), 400, "", ""},
		{"Forbidden", echoerr.Forbidden(""), 403, "", ""},
		{"NotFound", echoerr.NotFound(""), 404, "", ""},
		{"Conflict", echoerr.NewError(http.StatusConflict, ""), 409, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.failWith("/x", tc.err)
			rec := f.do(http.MethodGet, "/x")
			require.Equal(t, tc.code, rec.Code)
			if tc.header != "" {
				assert.Equal(t, tc.want, rec.Header().Get(tc.header))
			} else {
				assert.NotContains(t, rec.Header(), "Retry-After")
			}
			assert.Equal(t, http.StatusText(tc.code), decodeJSON(t, rec.Body)["name"])
		})
	}
	assert.Equal(t, "Missing name.", echoerr.BadRequest("Missing name.").Description)
}

// TestRouterMethodNotAllowedKeepsAllow: Echo's router sets Allow before the
// 405 reaches the handler; it survives.
func TestRouterMethodNotAllowedKeepsAllow(t *testing.T) {
	f := newFixture(t)
	f.E.GET("/only", okHandler)
	rec := f.do(http.MethodPost, "/only")
	require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Contains(t, rec.Header().Get("Allow"), http.MethodGet)
	assert.Equal(t, "Method Not Allowed", decodeJSON(t, rec.Body)["name"])
}

// TestOwnHTTPErrorType is Flask's InsufficientStorage example: an error
// type of one's own with a status and a description, raised by a route and
// handled by type (see Example_ownHTTPError).
func TestOwnHTTPErrorType(t *testing.T) {
	var got *InsufficientStorage
	f := newFixture(t, echoerr.OnType(func(_ echo.Context, e *InsufficientStorage) error { got = e; return nil }))
	f.failWith("/upload", fmt.Errorf("upload: %w", &InsufficientStorage{}))
	rec := f.do(http.MethodGet, "/upload")
	require.Equal(t, http.StatusInsufficientStorage, rec.Code)
	require.NotNil(t, got)
	assert.Equal(t, map[string]any{"code": 507.0, "name": "Insufficient Storage", "description": "Not enough storage space."}, decodeJSON(t, rec.Body))
	assert.Equal(t, 507, echoerr.StatusOf(&InsufficientStorage{}))
}

// deepWrap wraps err n times with %w.
func deepWrap(err error, n int) error {
	for i := 0; i < n; i++ {
		err = fmt.Errorf("wrap %d: %w", i, err)
	}
	return err
}
