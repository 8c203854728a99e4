package echoerr_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

// internalMarker marks internal error text: it must never reach a client outside
// debug mode.
const internalMarker = "INTERNAL-SECRET-7f3a"

// fuzzKind selects the error a fuzzed route returns; see fuzzError.
type fuzzKind uint8

const (
	kindPlain        fuzzKind = iota // errors.New: unknown, 500
	kindHTTPError                    // *echo.HTTPError with a string message
	kindWrapped                      // %w-wrapped *echo.HTTPError with an internal error
	kindCanonical                    // *echoerr.Error
	kindStatusCoder                  // an error with StatusCode() int
	kindJoin                         // errors.Join of an unknown error and an *echo.HTTPError
	kindCanceled                     // wrapped context.Canceled from the route's own work, the client connected: 500
	kindDeadline                     // wrapped context.DeadlineExceeded: 503
	kindTypedNil                     // a typed nil whose Error() dereferences nil
	kindPanicking                    // an error whose Error() panics
	kindMapMessage                   // *echo.HTTPError with a map message
	kindNilHTTPError                 // a wrapped typed nil *echo.HTTPError: Error and Unwrap panic
	kindCount
)

// valueCodedError is an error that knows its status, as Echo v5's HTTPStatusCoder.
type valueCodedError struct {
	code int
	msg  string
}

func (e valueCodedError) Error() string   { return e.msg }
func (e valueCodedError) StatusCode() int { return e.code }

// nilDerefError's Error method dereferences its receiver: a typed nil of it
// panics when printed.
type nilDerefError struct{ msg string }

func (e *nilDerefError) Error() string { return e.msg }

// panickingError panics whenever it is printed.
type panickingError struct{}

func (panickingError) Error() string { panic("Error() exploded " + internalMarker) }

// fuzzError builds the error for kind, with code and msg as its public
// status and message, and returns the status echoerr must answer with and
// whether the error is unknown (its status derived, its text internal).
func fuzzError(kind fuzzKind, code int, msg string) (want int, unknown bool, err error) {
	carried := code
	if code < 200 || code > 999 {
		carried = http.StatusInternalServerError
	}
	switch kind % kindCount {
	case kindPlain:
		return http.StatusInternalServerError, true, errors.New(internalMarker + msg)
	case kindHTTPError:
		return carried, false, echo.NewHTTPError(code, msg)
	case kindWrapped:
		he := echo.NewHTTPError(code, msg).SetInternal(errors.New(internalMarker))
		return carried, false, fmt.Errorf("load %s: %w", internalMarker, he)
	case kindCanonical:
		return carried, false, echoerr.NewError(code, msg)
	case kindStatusCoder:
		return carried, false, valueCodedError{code: code, msg: internalMarker + msg}
	case kindJoin:
		return carried, false, errors.Join(errors.New(internalMarker), echo.NewHTTPError(code, msg))
	case kindCanceled:
		return http.StatusInternalServerError, true, fmt.Errorf("%s: %w", internalMarker, context.Canceled)
	case kindDeadline:
		return http.StatusServiceUnavailable, true, fmt.Errorf("%s: %w", internalMarker, context.DeadlineExceeded)
	case kindTypedNil:
		var e *nilDerefError
		return http.StatusInternalServerError, true, e
	case kindPanicking:
		return http.StatusInternalServerError, true, panickingError{}
	case kindMapMessage:
		return carried, false, echo.NewHTTPError(code, map[string]any{"message": msg})
	default: // kindNilHTTPError
		var he *echo.HTTPError
		return http.StatusInternalServerError, true, fmt.Errorf("%s: %w", internalMarker+msg, he)
	}
}

// fuzzCase is what a fuzzed route hands to the handler, through the
// request's context.
type fuzzCase struct {
	err error
	hit bool // the route ran
}

type fuzzCaseKey struct{}

// countingHandler is a slog.Handler that counts records at every level, and
// separately those that are not the ordinary "request failed" record (a
// panic recovered in error handling, say).
type countingHandler struct{ n, unusual atomic.Int64 }

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	h.n.Add(1)
	if r.Message != "request failed" {
		h.unusual.Add(1)
	}
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

// fuzzApp is an Echo app whose only route, Any /f/*, fails with the error
// carried by the request.
type fuzzApp struct {
	e   *echo.Echo
	log *countingHandler
}

func newFuzzApp(debug bool, opts ...echoerr.Option) *fuzzApp {
	a := &fuzzApp{e: echo.New(), log: &countingHandler{}}
	a.e.Debug = debug
	a.e.HTTPErrorHandler = echoerr.New(append([]echoerr.Option{echoerr.WithLogger(slog.New(a.log))}, opts...)...)
	a.e.Any("/f/*", func(c echo.Context) error {
		fc := c.Request().Context().Value(fuzzCaseKey{}).(*fuzzCase)
		fc.hit = true
		return fc.err
	})
	return a
}

// serve sends one request with an arbitrary method, path and Accept header.
// The recorder's Code starts at 0, so that 0 afterwards means nothing was
// written.
func (a *fuzzApp) serve(fc *fuzzCase, method, path, accept string) *httptest.ResponseRecorder {
	req := newRequest(method, path)
	if accept != "" {
		req.Header["Accept"] = []string{accept}
	}
	req = req.WithContext(context.WithValue(req.Context(), fuzzCaseKey{}, fc))
	rec := httptest.NewRecorder()
	rec.Code = 0
	a.e.ServeHTTP(rec, req)
	return rec
}

// FuzzEntry drives the whole entry path (routing, normalization, dispatch,
// rendering, logging) with arbitrary error text, status codes, methods,
// paths and Accept headers, in and out of debug mode.
func FuzzEntry(f *testing.F) {
	f.Add(uint8(kindHTTPError), 404, []byte("no such user"), "GET", "/f/x", "application/json", false)
	f.Add(uint8(kindPlain), 0, []byte("db: connection refused"), "GET", "/f/", "*/*", false)
	f.Add(uint8(kindWrapped), 409, []byte("<script>alert(1)</script>"), "POST", "/f/a/b", "text/html", false)
	f.Add(uint8(kindCanonical), 1000, []byte("line1\r\nSet-Cookie: x=1"), "PUT", "/f/x", "", true)
	f.Add(uint8(kindStatusCoder), 99, []byte("\xff\xfe\xfd"), "HEAD", "/f/x", "text/plain", false)
	f.Add(uint8(kindJoin), 503, []byte("joined"), "DELETE", "/f/x", "application/problem+json", false)
	f.Add(uint8(kindCanceled), 200, []byte("gone"), "GET", "/f/x", "*/*", false)
	f.Add(uint8(kindDeadline), 0, []byte("slow"), "PATCH", "/f/x", "text/*;q=0.5, */*;q=0.1", true)
	f.Add(uint8(kindTypedNil), 0, []byte(""), "GET", "/f/x", "", false)
	f.Add(uint8(kindPanicking), 0, []byte(""), "GET", "/f/x", "", true)
	f.Add(uint8(kindHTTPError), 0, []byte("zero"), "GET", "/f/x", "", false)
	f.Add(uint8(kindNilHTTPError), 0, []byte("nil"), "GET", "/f/x", "", false)
	f.Add(uint8(kindMapMessage), 422, []byte(`{"a":1}`), "GET", "/f/x", "application/json;q=0", false)
	f.Add(uint8(kindPlain), 0, []byte("x"), "BREW", "/nowhere/../f", "text/html;level=1, text/*;q=0.3", false)
	f.Add(uint8(kindHTTPError), 599, []byte("\u2028\u2029&<>\"'"), "OPTIONS", "/f/%00", "garbage;;;q=x", true)
	apps := [2]*fuzzApp{newFuzzApp(false), newFuzzApp(true)}
	f.Fuzz(func(t *testing.T, kind uint8, code int, msg []byte, method, path, accept string, debug bool) {
		if bytes.Contains(msg, []byte(internalMarker)) || !validMethod(method) {
			t.Skip()
		}
		app := apps[0]
		if debug {
			app = apps[1]
		}
		want, unknown, err := fuzzError(fuzzKind(kind), code, string(msg))
		fc := &fuzzCase{err: err}
		before := app.log.n.Load()
		rec := app.serve(fc, method, path, accept)
		require.Equal(t, int64(1), app.log.n.Load()-before, "exactly one log record per error")
		require.Zero(t, app.log.unusual.Load(), "no panic in error handling")
		if !fc.hit {
			require.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, rec.Code, "routing error")
			checkErrorResponse(t, rec, method, debug)
			return
		}
		require.Equal(t, want, rec.Code)
		body := checkErrorResponse(t, rec, method, debug)
		if isHTML(rec) {
			_, _, err := fuzzError(fuzzKind(kind), code, "x")
			requireSameMarkup(t, rec.Body.Bytes(), app.serve(&fuzzCase{err: err}, method, path, accept).Body.Bytes())
		}
		if body == nil || debug {
			return
		}
		if unknown || fuzzKind(kind)%kindCount == kindStatusCoder {
			require.Equal(t, httperr.StatusDescription(want), body["description"], "generic description")
		}
		if k := fuzzKind(kind) % kindCount; want == code && utf8.Valid(msg) && len(msg) > 0 &&
			string(msg) != http.StatusText(code) && (k == kindHTTPError || k == kindWrapped || k == kindCanonical) {
			require.Equal(t, string(msg), body["description"], "public message shown as is")
		}
	})
}

// bodyAllowed reports whether a response with status code may have a body.
func bodyAllowed(code int) bool {
	return code != http.StatusNoContent && code != http.StatusNotModified
}

// isHTML reports whether rec holds an HTML page.
func isHTML(rec *httptest.ResponseRecorder) bool {
	return strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html")
}

// validMethod reports whether m is a token, as net/http requires of a
// request method.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		if c := m[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// checkErrorResponse asserts the invariants of every written error
// response: a status in 200–999, the safety headers, no body for HEAD, a
// body that parses in its media type and no internal text outside debug
// mode. For a JSON body it returns the decoded object (problem+json members
// mapped onto code and description).
func checkErrorResponse(t *testing.T, rec *httptest.ResponseRecorder, method string, debug bool) map[string]any {
	t.Helper()
	require.GreaterOrEqual(t, rec.Code, 200)
	require.LessOrEqual(t, rec.Code, 999)
	h := rec.Header()
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	require.Equal(t, "no-store", h.Get("Cache-Control"))
	body := rec.Body.Bytes()
	if method == http.MethodHead || !bodyAllowed(rec.Code) {
		require.Empty(t, body, "no body for HEAD, 204 and 304")
		return nil
	}
	if cl := h.Get("Content-Length"); cl != "" {
		require.Equal(t, strconv.Itoa(len(body)), cl)
	}
	if !debug {
		require.NotContains(t, string(body), internalMarker, "internal text outside debug mode")
	}
	return checkBody(t, rec.Code, h.Get("Content-Type"), body)
}

// checkBody asserts that body parses in the media type ct.
func checkBody(t *testing.T, code int, ct string, body []byte) map[string]any {
	t.Helper()
	mt, _, err := mime.ParseMediaType(ct)
	require.NoError(t, err, "Content-Type %q", ct)
	if strings.HasSuffix(mt, "json") {
		require.False(t, bytes.ContainsAny(body, "<>&"), "HTML-sensitive characters escaped in %q", body)
	}
	switch mt {
	case "application/json":
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m), "JSON body: %q", body)
		if _, echoShape := m["message"]; echoShape && len(m) <= 2 { // EchoJSON
			return nil
		}
		require.EqualValues(t, code, m["code"])
		require.IsType(t, "", m["name"])
		require.IsType(t, "", m["description"])
		return m
	case "application/problem+json":
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m), "problem+json body: %q", body)
		require.EqualValues(t, code, m["status"])
		require.IsType(t, "", m["title"])
		m["code"], m["description"] = m["status"], m["detail"]
		return m
	case "text/html":
		require.True(t, bytes.Contains(bytes.ToLower(body), []byte("<html")), "HTML body %q", body)
		return nil
	case "text/plain":
		require.True(t, bytes.HasPrefix(body, []byte(strconv.Itoa(code)+" ")), "text body %q", body)
		return nil
	}
	t.Fatalf("unexpected Content-Type %q", ct)
	return nil
}

// requireSameMarkup asserts that an HTML page showing a message has exactly
// the markup of the same page showing a harmless placeholder: every '<' and
// '>' of the message was escaped.
func requireSameMarkup(t *testing.T, page, placeholderPage []byte) {
	t.Helper()
	for _, c := range []string{"<", ">"} {
		require.Equal(t, bytes.Count(placeholderPage, []byte(c)), bytes.Count(page, []byte(c)),
			"unescaped %q from the message in %q", c, page)
	}
}

// FuzzJSONRenderer renders arbitrary canonical errors with JSON() and
// compares the bytes with what encoding/json writes for the same fields.
func FuzzJSONRenderer(f *testing.F) {
	f.Add(404, "Not Found", "The requested URL was not found.", "k", "v")
	f.Add(500, "", "", "", "")
	f.Add(999, "Error 999", "<b>&amp;</b>\u2028\u2029", "code", "override")
	f.Add(418, "\xff", "\x00\x1f\x7f\"\\", "debug", "\xc0\xaf")
	f.Add(200, "OK", "fine", "a\nb", "\t")
	e := echo.New()
	f.Fuzz(func(t *testing.T, code int, name, desc, key, val string) {
		if code < 200 || code > 999 {
			t.Skip() // the core never renders an invalid status
		}
		fe := &echoerr.Error{Code: code, Name: name, Description: desc}
		if key != "" {
			fe.Extensions = map[string]any{key: val}
		}
		rec, err := renderDirect(e, echoerr.JSON(), newRequest(http.MethodGet, "/"), fe)
		require.NoError(t, err)
		require.Equal(t, code, rec.Code)
		require.Equal(t, echo.MIMEApplicationJSON, rec.Header().Get("Content-Type"))
		if !bodyAllowed(code) {
			require.Empty(t, rec.Body.Bytes())
			return
		}
		want := expectedJSONBody(t, fe)
		require.Equal(t, string(append(want, '\n')), rec.Body.String())
	})
}

// expectedJSONBody is the body JSON() must write for fe, built with
// encoding/json.
func expectedJSONBody(t *testing.T, fe *echoerr.Error) []byte {
	t.Helper()
	str := func(s string) string {
		b, err := json.Marshal(s)
		require.NoError(t, err)
		return string(b)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"code":%d,"name":%s,"description":%s`, fe.Code, str(fe.Name), str(fe.Description))
	for k, v := range fe.Extensions { // at most one
		// Reserved in any letter case: Go's JSON decoder matches keys so.
		if !strings.EqualFold(k, "code") && !strings.EqualFold(k, "name") && !strings.EqualFold(k, "description") {
			val, err := json.Marshal(v) // extension values are encoded by encoding/json
			require.NoError(t, err)
			fmt.Fprintf(&b, `,%s:%s`, str(k), val)
		}
	}
	b.WriteByte('}')
	return []byte(b.String())
}

// newRequest returns a request with an arbitrary method and path (which
// httptest.NewRequest would reject).
func newRequest(method, path string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Method = method
	req.URL.Path, req.URL.RawPath = path, ""
	return req
}

// renderDirect runs r for fe on a fresh context for req, as the handler
// would after preparing the headers.
func renderDirect(e *echo.Echo, r echoerr.Renderer, req *http.Request, fe *echoerr.Error) (*httptest.ResponseRecorder, error) {
	rec := httptest.NewRecorder()
	err := r.Render(e.NewContext(req, rec), fe)
	return rec, err
}

// placeholder stands in for fuzzed text when a page is rendered again to
// compare its markup: empty stays empty, anything else becomes "x".
func placeholder(s string) string {
	if s == "" {
		return ""
	}
	return "x"
}

// FuzzHTMLRenderer renders arbitrary errors, request paths and request ids
// with HTML(): no markup may come from the data (the page has exactly the
// markup of the same page with harmless text).
func FuzzHTMLRenderer(f *testing.F) {
	f.Add(404, "Not Found", "The requested URL was not found.", "/users/7", "")
	f.Add(500, "", "", "/", "req-1")
	f.Add(418, "<b>tea</b>", `<script>alert("x")</script>&amp;'`, `/a/<b>/"q"`, `"><img src=x>`)
	f.Add(503, "\xff\xfe", "\x00\x1b[31mred\u2028", "/%3Cscript%3E", "id\r\nX: y")
	f.Add(999, "Error 999", "javascript:alert(1)", "javascript:alert(1)", "{{.}}")
	e := echo.New()
	html := echoerr.HTML()
	f.Fuzz(func(t *testing.T, code int, name, desc, path, id string) {
		if code < 200 || code > 999 {
			t.Skip() // the core never renders an invalid status
		}
		render := func(r echoerr.Renderer, name, desc, path, id string) *httptest.ResponseRecorder {
			t.Helper()
			req := newRequest(http.MethodGet, path)
			req.Header["X-Request-Id"] = []string{id}
			rec, err := renderDirect(e, r, req, &echoerr.Error{Code: code, Name: name, Description: desc})
			require.NoError(t, err)
			require.Equal(t, code, rec.Code)
			return rec
		}
		rec := render(html, name, desc, path, id)
		if !bodyAllowed(code) {
			require.Zero(t, rec.Body.Len())
			return
		}
		require.Equal(t, echo.MIMETextHTMLCharsetUTF8, rec.Header().Get("Content-Type"))
		requireSameMarkup(t, rec.Body.Bytes(),
			render(html, placeholder(name), placeholder(desc), "/"+placeholder(strings.TrimLeft(path, "/")), placeholder(id)).Body.Bytes())
	})
}

// FuzzProblemRenderer renders arbitrary errors and request paths with
// Problem(): the body is problem+json whose members hold the data, with no
// raw HTML-sensitive characters.
func FuzzProblemRenderer(f *testing.F) {
	f.Add(404, "Not Found", "The requested URL was not found.", "k", "v", "/users/7")
	f.Add(500, "", "", "", "", "/")
	f.Add(409, "<b>", "\xff\x00\u2028", "type", "override", "/a b/%zz/\"")
	f.Add(422, "Unprocessable", "bad", "debug", "<x>", "/\x7f")
	f.Add(400, "Bad", "bad", "Type", "0", "/")        // a member's name in another case
	f.Add(400, "Bad", "bad", "\u017ftatus", "0", "/") // ſ folds to s
	e := echo.New()
	r := echoerr.Problem()
	f.Fuzz(func(t *testing.T, code int, name, desc, key, val, path string) {
		if code < 200 || code > 999 {
			t.Skip() // the core never renders an invalid status
		}
		fe := &echoerr.Error{Code: code, Name: name, Description: desc}
		if key != "" {
			fe.Extensions = map[string]any{key: val}
		}
		req := newRequest(http.MethodGet, path)
		rec, err := renderDirect(e, r, req, fe)
		require.NoError(t, err)
		require.Equal(t, code, rec.Code)
		if !bodyAllowed(code) {
			require.Zero(t, rec.Body.Len())
			return
		}
		require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
		m := checkBody(t, code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
		require.Equal(t, "about:blank", m["type"])
		require.Equal(t, req.URL.EscapedPath(), m["instance"])
		requireValidEqual(t, name, m["title"])
		requireValidEqual(t, desc, m["detail"])
		// A key that is a member's name in any letter case is left out
		// (a Go decoder would let it shadow the member); any other valid
		// key is sent as given (an invalid one is encoded with U+FFFD).
		reserved := key == ""
		for _, k := range []string{"type", "title", "status", "detail", "instance"} {
			reserved = reserved || strings.EqualFold(key, k)
		}
		if !reserved && utf8.ValidString(key) {
			requireValidEqual(t, val, m[key])
		}
	})
}

// requireValidEqual asserts that a decoded JSON string equals want, when
// want is valid UTF-8 (JSON encoding replaces invalid bytes).
func requireValidEqual(t *testing.T, want string, got any) {
	t.Helper()
	if utf8.ValidString(want) {
		require.Equal(t, want, got)
	}
}

// FuzzTextRenderer renders arbitrary errors with Text(): the body starts
// with the status line, holds no control character but newline and tab and
// no invalid UTF-8 (nothing can reach a terminal as an escape sequence),
// and is exactly "code name\n\ndescription\n" when the text is clean.
func FuzzTextRenderer(f *testing.F) {
	f.Add(404, "Not Found", "The requested URL was not found.")
	f.Add(500, "", "")
	f.Add(418, "\x1b[2J\x1b[H", "\x1b]0;pwned\x07\r\x00\u0085\u009b")
	f.Add(503, "\xff", "tab\there\nnext line")
	e := echo.New()
	r := echoerr.Text()
	f.Fuzz(func(t *testing.T, code int, name, desc string) {
		if code < 200 || code > 999 {
			t.Skip() // the core never renders an invalid status
		}
		rec, err := renderDirect(e, r, newRequest(http.MethodGet, "/"), &echoerr.Error{Code: code, Name: name, Description: desc})
		require.NoError(t, err)
		require.Equal(t, code, rec.Code)
		if !bodyAllowed(code) {
			require.Zero(t, rec.Body.Len())
			return
		}
		body := rec.Body.String()
		require.True(t, utf8.ValidString(body), "valid UTF-8: %q", body)
		for _, c := range body {
			require.False(t, (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f), "control %U in %q", c, body)
		}
		if clean(name) && clean(desc) {
			require.Equal(t, fmt.Sprintf("%d %s\n\n%s\n", code, name, desc), body)
		} else {
			require.True(t, strings.HasPrefix(body, strconv.Itoa(code)+" "), body)
		}
	})
}

// clean reports whether s is valid UTF-8 without control characters other
// than newline and tab.
func clean(s string) bool {
	for _, c := range s {
		if c == utf8.RuneError || (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// FuzzEchoJSONRenderer checks EchoJSON() against Echo's own
// DefaultHTTPErrorHandler: for the same error, in and out of debug mode,
// the status and the body must be identical, byte for byte.
func FuzzEchoJSONRenderer(f *testing.F) {
	f.Add(uint8(0), 404, "no such user", false)
	f.Add(uint8(1), 500, "db down", true)
	f.Add(uint8(2), 409, "<taken> & \xff", true)
	f.Add(uint8(3), 422, `{"field":"name"}`, false)
	f.Add(uint8(4), 400, "bad\u2028", true)
	f.Add(uint8(0), 418, "", false)
	f.Fuzz(func(t *testing.T, kind uint8, code int, msg string, debug bool) {
		if code < 200 || code > 999 || !bodyAllowed(code) {
			t.Skip() // Echo's handler cannot write those either
		}
		if code == http.StatusBadGateway && (strings.HasPrefix(msg, "remote ") || strings.HasPrefix(msg, "proxy raw, ")) {
			t.Skip() // maybe the Proxy middleware's internal text, which EchoJSON hides (TestProxyUpstreamErrorTextIsNotPublic)
		}
		var err error
		switch kind % 5 {
		case 0:
			err = echo.NewHTTPError(code, msg)
		case 1:
			err = errors.New(msg)
		case 2:
			err = echo.NewHTTPError(code, msg).SetInternal(errors.New(internalMarker))
		case 3:
			err = echo.NewHTTPError(code, map[string]any{"detail": msg, "n": code})
		default:
			err = echo.NewHTTPError(code, errors.New(msg))
		}
		serve := func(h func(*echo.Echo) echo.HTTPErrorHandler) *httptest.ResponseRecorder {
			e := echo.New()
			e.Debug = debug
			e.HTTPErrorHandler = h(e)
			e.GET("/x", func(echo.Context) error { return err })
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, newRequest(http.MethodGet, "/x"))
			return rec
		}
		want := serve(func(e *echo.Echo) echo.HTTPErrorHandler { return e.DefaultHTTPErrorHandler })
		got := serve(func(*echo.Echo) echo.HTTPErrorHandler {
			return echoerr.New(echoerr.WithRenderer(echoerr.EchoJSON()), echoerr.WithLogger(slog.New(slog.DiscardHandler)))
		})
		require.Equal(t, want.Code, got.Code)
		if !debug || len(msg) <= 512 {
			require.Equal(t, want.Body.String(), got.Body.String())
			return
		}
		// Debug text is bounded (invariant 3): a long error text is cut in
		// the "error" member, as in the debug chain (docs/reference.md,
		// "Bounds"); the rest is Echo's body.
		var w, g map[string]any
		require.NoError(t, json.Unmarshal(want.Body.Bytes(), &w))
		require.NoError(t, json.Unmarshal(got.Body.Bytes(), &g))
		require.Equal(t, w["message"], g["message"])
		we, _ := w["error"].(string)
		ge, _ := g["error"].(string)
		if ge != we {
			// Cut at 1 KiB with a note, or shown as its own part when it
			// ends with its inner link's text (%w, Internal): "…" marks both.
			cut, _, ok := strings.Cut(ge, "…")
			require.True(t, ok, "a cut error text says so: %.80q", ge)
			require.True(t, strings.HasPrefix(we, cut), "the cut text is the start of Echo's: %.80q", ge)
			require.LessOrEqual(t, len(cut), 3<<10) // 1 KiB of text; an invalid byte decodes as U+FFFD, 3 bytes
		}
	})
}

// negotiatedType returns the media type Negotiate(JSON(), HTML(),
// Problem(), Text()) picks for accept.
func negotiatedType(t *testing.T, e *echo.Echo, r echoerr.Renderer, accept string) string {
	t.Helper()
	req := newRequest(http.MethodGet, "/")
	req.Header["Accept"] = []string{accept}
	rec, err := renderDirect(e, r, req, &echoerr.Error{Code: http.StatusNotFound, Name: "Not Found", Description: "gone"})
	require.NoError(t, err)
	require.Equal(t, http.StatusNotFound, rec.Code)
	require.Contains(t, rec.Header().Values("Vary"), "Accept")
	mt, _, err := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	require.NoError(t, err)
	checkBody(t, http.StatusNotFound, mt, rec.Body.Bytes())
	return mt
}

// repeatsRange reports whether two elements of an Accept list name the same
// media range (parameters aside), which makes their order matter.
func repeatsRange(elems []string) bool {
	seen := map[string]bool{}
	for _, el := range elems {
		mr, _, _ := strings.Cut(el, ";")
		mr = strings.ToLower(strings.TrimSpace(mr))
		if seen[mr] {
			return true
		}
		seen[mr] = true
	}
	return false
}

// FuzzNegotiateAccept drives Negotiate, and so the Accept parser, with
// arbitrary Accept headers: it always answers with one of its renderers,
// the order of the header's elements does not matter (unless a range is
// given twice, when the first one counts), and excluding a type
// that was not chosen (";q=0") does not change the choice.
func FuzzNegotiateAccept(f *testing.F) {
	for _, a := range []string{
		"", "*/*", "text/html", "application/json", "application/problem+json", "text/plain",
		"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
		"application/json;q=0, */*;q=0.1", "text/*;q=0.5, text/plain;q=0.4", "TEXT/HTML;Q=1.000",
		`text/html;level="a,b";q=0.5, application/json;q=0.4`, ";;;,,,q=q", "text/html;q=1.0001", "*/html",
	} {
		f.Add(a)
	}
	e := echo.New()
	r := echoerr.Negotiate(echoerr.JSON(), echoerr.HTML(), echoerr.Problem(), echoerr.Text())
	f.Fuzz(func(t *testing.T, accept string) {
		mt := negotiatedType(t, e, r, accept)
		require.Contains(t, []string{"application/json", "text/html", "application/problem+json", "text/plain"}, mt)
		if strings.ContainsAny(accept, `"\`) {
			return // quoted strings may hold commas: the properties below split on them
		}
		elems := strings.Split(accept, ",")
		if !repeatsRange(elems) { // a range given twice with two q-values: the first stands
			slices.Reverse(elems)
			require.Equal(t, mt, negotiatedType(t, e, r, strings.Join(elems, ",")), "element order does not matter")
		}
		for _, other := range []string{"text/html", "text/plain"} {
			if other != mt {
				require.Equal(t, mt, negotiatedType(t, e, r, accept+","+other+";q=0"), "excluding %s", other)
			}
		}
	})
}

// scopeHosts are the Host headers FuzzScopeResolution picks from, with the
// Host scope each must select ("" for none).
var scopeHosts = []struct{ host, scope string }{
	{"api.example.com", "api"}, {"API.Example.COM:8080", "api"}, {"api.example.com.", "api"},
	{"x.example.com", "*"}, {"a.b.example.com:1", "*"}, {"example.com", ""}, {".example.com", ""},
	{"example.com.evil.org", ""}, {"other.org", ""}, {"", ""}, {"[::1]:80", ""},
}

// wantScope is the reference for FuzzScopeResolution's scopes: the tag of
// the innermost scope that must handle a request for host and path,
// written from the documented rules (a Host scope before Groups; among
// siblings a literal segment before a parameter, then the longer prefix).
func wantScope(hostScope, path string) string {
	covers := func(prefix string) bool {
		return strings.HasPrefix(path, prefix) && (len(path) == len(prefix) || path[len(prefix)] == '/')
	}
	pattern := func(pat ...string) bool {
		if !strings.HasPrefix(path, "/") {
			return false
		}
		segs := strings.Split(path[1:], "/")
		if len(segs) < len(pat) {
			return false
		}
		for i, p := range pat {
			// A parameter may be empty when more path follows, as in Echo's router.
			if p[0] == ':' && segs[i] == "" && i == len(segs)-1 || p[0] != ':' && segs[i] != p {
				return false
			}
		}
		return true
	}
	switch {
	case hostScope == "api" && covers("/v1"):
		return "host api /v1"
	case hostScope == "api":
		return "host api"
	case hostScope == "*":
		return "host *"
	case covers("/api/v2"):
		return "/api/v2"
	case covers("/api/v1"):
		return "/api /v1"
	case pattern("api", ":ver"):
		return "/api /:ver"
	case covers("/api"):
		return "/api"
	case pattern("users", ":id"):
		return "/users/:id"
	}
	return "app"
}

// FuzzScopeResolution sends arbitrary paths, with Host headers from a list,
// to an app with nested Group and Host scopes, literal and parameter
// prefixes and siblings that overlap: exactly the innermost scope the rules
// name must take the error, and nothing panics.
func FuzzScopeResolution(f *testing.F) {
	for _, p := range []string{
		"/", "/api", "/api/", "/api/v1", "/api/v1/x", "/api/v2", "/api/v2x", "/api/v3/users", "/apix",
		"/users/7", "/users/", "/users//x", "/v1/x", "//api", "api", "/API", "/api/%2F", "/api/\xff", "",
	} {
		f.Add(p, uint8(9))
		f.Add(p, uint8(0))
		f.Add(p, uint8(3))
	}
	var got []string
	tag := func(name string) echoerr.Option {
		return echoerr.OnAny(func(echo.Context, error) error { got = append(got, name); return nil })
	}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(
		echoerr.WithLogger(slog.New(slog.DiscardHandler)),
		tag("app"),
		echoerr.Host("api.example.com", tag("host api"), echoerr.Group("/v1", tag("host api /v1"))),
		echoerr.Host("*.example.com", tag("host *")),
		echoerr.Group("/api", tag("/api"), echoerr.Group("/v1", tag("/api /v1")), echoerr.Group("/:ver", tag("/api /:ver"))),
		echoerr.Group("/api/v2", tag("/api/v2")),
		echoerr.Group("/users/:id", tag("/users/:id")),
	)
	f.Fuzz(func(t *testing.T, path string, hostIdx uint8) {
		h := scopeHosts[int(hostIdx)%len(scopeHosts)]
		req := newRequest(http.MethodGet, path)
		req.Host = h.host
		got = got[:0]
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		require.Equal(t, []string{wantScope(h.scope, path)}, got, "host %q path %q", h.host, path)
		require.Equal(t, http.StatusNotFound, rec.Code)
	})
}
