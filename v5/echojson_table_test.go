package echoerr_test

// Port of Echo v5.4.4's own test table for DefaultHTTPErrorHandler
// (echo_test.go:1351-1453, TestDefaultHTTPErrorHandler; the custom error type is
// echo_test.go:1333-1349; the apiError example is httperror_external_test.go:15-52;
// the BindingError case is binder_error_response_test.go:18-35), extended with
// cases that exercise every branch of DefaultHTTPErrorHandler (echo.go:463-511).
//
// Every expected body below was produced by Echo v5.4.4's real
// DefaultHTTPErrorHandler(exposeError): /work/notes/scratch/echoerr runs this very
// file against it (go test ./echoerr in /work/notes/scratch). A v5 EchoJSON()
// renderer, with debug = exposeError, must reproduce status and body byte for byte.
//
// Rules the bodies follow (echo.go:463-511):
//   - status: the first HTTPStatusCoder found by errors.As (outermost), 0 -> 500;
//   - that coder is a json.Marshaler -> its own JSON (no "error" member, even when exposing);
//   - it is an *HTTPError -> {"message": Message or StatusText(code)}, plus
//     "error": Unwrap().Error() when exposing and it wraps something (the *HTTPError's
//     own wrapped error: an outer fmt.Errorf wrapper is NOT shown);
//   - otherwise -> {"message": StatusText(code)}, plus "error": err.Error() (the whole
//     error, outer wrappers included) when exposing;
//   - written with c.JSON (e.JSONSerializer; encoding/json: HTML-escaped, map keys
//     sorted, trailing "\n", never indented: v5 has no Debug and no ?pretty);
//   - HEAD: c.NoContent(code): status only, no body and no Content-Type header;
//     other methods: Content-Type "application/json" (no charset).
// Cases where Echo itself panics out of ServeHTTP (no response) are listed apart in
// v5DefaultHandlerPanics: echoerr must answer them with a minimal 500 instead.
// Cases where DESIGN.md prescribes (or may prescribe) another answer than Echo's
// (status 0, bare context.DeadlineExceeded) are in v5DefaultHandlerJudgmentCalls,
// with Echo's real answer, verified the same way.
//
// Usage in the v5 face (package echoerr_test), e.g.:
//
//	for _, tc := range v5DefaultHandlerTable {
//		h := echoerr.New(echoerr.WithRenderer(echoerr.EchoJSON()), echoerr.WithDebug(tc.exposeError))
//		rec := runV5DefaultCase(h, tc)
//		// compare rec.Code, rec.Body.String() with tc.wantStatus, tc.wantBody
//	}

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
)

var (
	errContextDeadline = context.DeadlineExceeded
	errContextCanceled = context.Canceled
)

type v5DefaultHandlerCase struct {
	name        string
	err         error
	exposeError bool
	method      string // "" means GET
	wantStatus  int
	wantBody    string
}

// v5CustomError is echo_test.go's customError (MarshalJSON + HTTPStatusCoder).
type v5CustomError struct {
	Code    int
	Message string
}

func (ce *v5CustomError) StatusCode() int { return ce.Code }
func (ce *v5CustomError) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"x":"%v"}`, ce.Message), nil
}
func (ce *v5CustomError) Error() string { return ce.Message }

// v5APIError is httperror_external_test.go's apiError (ExampleDefaultHTTPErrorHandler).
type v5APIError struct {
	Code int
	Body any
}

func (e *v5APIError) StatusCode() int { return e.Code }
func (e *v5APIError) MarshalJSON() ([]byte, error) {
	type body struct {
		Error any `json:"error"`
	}
	return json.Marshal(body{Error: e.Body})
}
func (e *v5APIError) Error() string { return http.StatusText(e.Code) }

var v5DefaultHandlerTable = []v5DefaultHandlerCase{
	// --- Echo's own table (echo_test.go:1362-1427), verbatim ---
	{
		name:        "ok, expose error = true, HTTPError, no wrapped err",
		exposeError: true,
		err:         &echo.HTTPError{Code: http.StatusTeapot, Message: "my_error"},
		wantStatus:  http.StatusTeapot,
		wantBody:    `{"message":"my_error"}` + "\n",
	},
	{
		name:        "ok, expose error = true, HTTPError + wrapped error",
		exposeError: true,
		err:         echo.HTTPError{Code: http.StatusTeapot, Message: "my_error"}.Wrap(errors.New("internal_error")),
		wantStatus:  http.StatusTeapot,
		wantBody:    `{"error":"internal_error","message":"my_error"}` + "\n",
	},
	{
		name:        "ok, expose error = true, HTTPError + wrapped HTTPError",
		exposeError: true,
		err:         echo.HTTPError{Code: http.StatusTeapot, Message: "my_error"}.Wrap(&echo.HTTPError{Code: http.StatusTeapot, Message: "early_error"}),
		wantStatus:  http.StatusTeapot,
		wantBody:    `{"error":"code=418, message=early_error","message":"my_error"}` + "\n",
	},
	{
		name:       "ok, expose error = false, HTTPError",
		err:        &echo.HTTPError{Code: http.StatusTeapot, Message: "my_error"},
		wantStatus: http.StatusTeapot,
		wantBody:   `{"message":"my_error"}` + "\n",
	},
	{
		name:       "ok, expose error = false, HTTPError, no message",
		err:        &echo.HTTPError{Code: http.StatusTeapot, Message: ""},
		wantStatus: http.StatusTeapot,
		wantBody:   `{"message":"I'm a teapot"}` + "\n",
	},
	{
		name:       "ok, expose error = false, HTTPError + internal HTTPError",
		err:        echo.HTTPError{Code: http.StatusTooEarly, Message: "my_error"}.Wrap(&echo.HTTPError{Code: http.StatusTeapot, Message: "early_error"}),
		wantStatus: http.StatusTooEarly,
		wantBody:   `{"message":"my_error"}` + "\n",
	},
	{
		name:        "ok, expose error = true, Error",
		exposeError: true,
		err:         fmt.Errorf("my errors wraps: %w", errors.New("internal_error")),
		wantStatus:  http.StatusInternalServerError,
		wantBody:    `{"error":"my errors wraps: internal_error","message":"Internal Server Error"}` + "\n",
	},
	{
		name:       "ok, expose error = false, Error",
		err:        fmt.Errorf("my errors wraps: %w", errors.New("internal_error")),
		wantStatus: http.StatusInternalServerError,
		wantBody:   `{"message":"Internal Server Error"}` + "\n",
	},
	{
		name:        "ok, http.HEAD, expose error = true, Error",
		exposeError: true,
		method:      http.MethodHead,
		err:         fmt.Errorf("my errors wraps: %w", errors.New("internal_error")),
		wantStatus:  http.StatusInternalServerError,
		wantBody:    ``,
	},
	{
		name:       "ok, custom error implement MarshalJSON + HTTPStatusCoder",
		method:     http.MethodGet,
		err:        &v5CustomError{Code: http.StatusTeapot, Message: "custom error msg"},
		wantStatus: http.StatusTeapot,
		wantBody:   `{"x":"custom error msg"}` + "\n",
	},

	// --- ExampleDefaultHTTPErrorHandler (httperror_external_test.go:15-31) ---
	{
		name:       "example apiError: MarshalJSON + StatusCode",
		err:        &v5APIError{Code: http.StatusBadRequest, Body: map[string]any{"message": "custom error"}},
		wantStatus: http.StatusBadRequest,
		wantBody:   `{"error":{"message":"custom error"}}` + "\n",
	},

	// --- built-in sentinels (unexported httpError, httperror.go:14-26,149-167) ---
	{
		name:       "built-in ErrNotFound",
		err:        echo.ErrNotFound,
		wantStatus: http.StatusNotFound,
		wantBody:   `{"message":"Not Found"}` + "\n",
	},
	{
		name:        "built-in ErrNotFound, expose",
		exposeError: true,
		err:         echo.ErrNotFound,
		wantStatus:  http.StatusNotFound,
		wantBody:    `{"error":"Not Found","message":"Not Found"}` + "\n",
	},
	{
		name:        "built-in ErrMethodNotAllowed, expose",
		exposeError: true,
		err:         echo.ErrMethodNotAllowed,
		wantStatus:  http.StatusMethodNotAllowed,
		wantBody:    `{"error":"Method Not Allowed","message":"Method Not Allowed"}` + "\n",
	},
	{
		name:       "wrapped built-in keeps its status",
		err:        fmt.Errorf("x: %w", echo.ErrNotFound),
		wantStatus: http.StatusNotFound,
		wantBody:   `{"message":"Not Found"}` + "\n",
	},
	{
		name:        "wrapped built-in keeps its status, expose shows the whole chain",
		exposeError: true,
		err:         fmt.Errorf("x: %w", echo.ErrNotFound),
		wantStatus:  http.StatusNotFound,
		wantBody:    `{"error":"x: Not Found","message":"Not Found"}` + "\n",
	},
	{
		name:       "built-in .Wrap(err) is an *HTTPError with the status text as Message",
		err:        echo.ErrBadRequest.Wrap(errors.New("inner")),
		wantStatus: http.StatusBadRequest,
		wantBody:   `{"message":"Bad Request"}` + "\n",
	},
	{
		name:        "built-in .Wrap(err), expose",
		exposeError: true,
		err:         echo.ErrBadRequest.Wrap(errors.New("inner")),
		wantStatus:  http.StatusBadRequest,
		wantBody:    `{"error":"inner","message":"Bad Request"}` + "\n",
	},
	{
		name:        "HEAD, built-in ErrNotFound, expose",
		exposeError: true,
		method:      http.MethodHead,
		err:         echo.ErrNotFound,
		wantStatus:  http.StatusNotFound,
		wantBody:    ``,
	},

	// --- *HTTPError inside other wrappers ---
	{
		name:        "HTTPError wrapped by fmt.Errorf, expose: the outer text is not shown",
		exposeError: true,
		err:         fmt.Errorf("ctx: %w", echo.NewHTTPError(http.StatusTeapot, "m")),
		wantStatus:  http.StatusTeapot,
		wantBody:    `{"message":"m"}` + "\n",
	},
	{
		name:        "HTTPError with Wrap, wrapped by fmt.Errorf, expose: only the HTTPError's own wrapped error",
		exposeError: true,
		err:         fmt.Errorf("ctx: %w", echo.NewHTTPError(http.StatusConflict, "m").Wrap(errors.New("inner"))),
		wantStatus:  http.StatusConflict,
		wantBody:    `{"error":"inner","message":"m"}` + "\n",
	},
	{
		name:       "HTTPError message is HTML-escaped by encoding/json",
		err:        echo.NewHTTPError(http.StatusBadRequest, `<b>"x"&</b>`),
		wantStatus: http.StatusBadRequest,
		wantBody:   `{"message":"\u003cb\u003e\"x\"\u0026\u003c/b\u003e"}` + "\n",
	},
	{
		name:       "errors.Join: the first status carrier depth-first wins",
		err:        errors.Join(errors.New("plain"), echo.ErrNotFound, echo.ErrBadRequest),
		wantStatus: http.StatusNotFound,
		wantBody:   `{"message":"Not Found"}` + "\n",
	},
	{
		name:        "errors.Join, expose: the whole joined text",
		exposeError: true,
		err:         errors.Join(echo.ErrNotFound, echo.ErrBadRequest),
		wantStatus:  http.StatusNotFound,
		wantBody:    `{"error":"Not Found\nBad Request","message":"Not Found"}` + "\n",
	},

	// --- json.Marshaler coders ---
	{
		name:        "wrapped custom MarshalJSON coder: its own JSON, no error member",
		exposeError: true,
		err:         fmt.Errorf("w: %w", &v5CustomError{Code: http.StatusPaymentRequired, Message: "pay"}),
		wantStatus:  http.StatusPaymentRequired,
		wantBody:    `{"x":"pay"}` + "\n",
	},
	{
		name:       "BindingError (QueryParamsBinder) is a json.Marshaler: field + message",
		err:        echo.NewBindingError("docNum", []string{"abc"}, "failed to bind field value to int", errors.New(`strconv.ParseInt: parsing "abc": invalid syntax`)),
		wantStatus: http.StatusBadRequest,
		wantBody:   `{"field":"docNum","message":"failed to bind field value to int"}` + "\n",
	},
	{
		name:        "BindingError, expose: still no error member",
		exposeError: true,
		err:         echo.NewBindingError("id", []string{"abc"}, "path value", errors.New("failed to parse value")),
		wantStatus:  http.StatusBadRequest,
		wantBody:    `{"field":"id","message":"path value"}` + "\n",
	},
	{
		name:       "BindingError with empty message: status text",
		err:        &echo.BindingError{Field: "name", HTTPError: &echo.HTTPError{Code: http.StatusBadRequest}},
		wantStatus: http.StatusBadRequest,
		wantBody:   `{"field":"name","message":"Bad Request"}` + "\n",
	},

	// --- other coders ---
	{
		name:       "ProblemError in the default handler: status text only",
		err:        &echo.ProblemError{Type: "https://example.com/p", Title: "T", Status: http.StatusForbidden, Detail: "D", Instance: "/i"},
		wantStatus: http.StatusForbidden,
		wantBody:   `{"message":"Forbidden"}` + "\n",
	},
	{
		name:        "ProblemError, expose",
		exposeError: true,
		err:         &echo.ProblemError{Title: "T", Status: http.StatusForbidden, Detail: "D"},
		wantStatus:  http.StatusForbidden,
		wantBody:    `{"error":"code=403, message=T: D","message":"Forbidden"}` + "\n",
	},
	{
		name:       "PanicStackError (Recover) is no coder: 500",
		err:        &middleware.PanicStackError{Stack: []byte("goroutine 1 [running]:\nmain.main()"), Err: errors.New("boom")},
		wantStatus: http.StatusInternalServerError,
		wantBody:   `{"message":"Internal Server Error"}` + "\n",
	},
	{
		name:        "PanicStackError, expose: Error() carries the stack",
		exposeError: true,
		err:         &middleware.PanicStackError{Stack: []byte("goroutine 1 [running]:\nmain.main()"), Err: errors.New("boom")},
		wantStatus:  http.StatusInternalServerError,
		wantBody:    `{"error":"[PANIC RECOVER] boom goroutine 1 [running]:\nmain.main()","message":"Internal Server Error"}` + "\n",
	},
	{
		name:        "panic(echo.ErrForbidden) through Recover: status of the panic value",
		exposeError: true,
		err:         &middleware.PanicStackError{Stack: []byte("s"), Err: echo.ErrForbidden},
		wantStatus:  http.StatusForbidden,
		wantBody:    `{"error":"[PANIC RECOVER] Forbidden s","message":"Forbidden"}` + "\n",
	},
	{
		name:        "ContextTimeout's error: ErrServiceUnavailable.Wrap(DeadlineExceeded)",
		exposeError: true,
		err:         echo.ErrServiceUnavailable.Wrap(fmt.Errorf("wrapped: %w", errContextDeadline)),
		wantStatus:  http.StatusServiceUnavailable,
		wantBody:    `{"error":"wrapped: context deadline exceeded","message":"Service Unavailable"}` + "\n",
	},
	{
		name:        "context.Canceled with the client still connected: 500",
		exposeError: true,
		err:         errContextCanceled,
		wantStatus:  http.StatusInternalServerError,
		wantBody:    `{"error":"context canceled","message":"Internal Server Error"}` + "\n",
	},
	{
		name:       "Proxy's client-gone error: HTTPError 499",
		err:        echo.NewHTTPError(middleware.StatusCodeContextCanceled, "client closed connection").Wrap(errContextCanceled),
		wantStatus: middleware.StatusCodeContextCanceled,
		wantBody:   `{"message":"client closed connection"}` + "\n",
	},
}

// v5DefaultHandlerJudgmentCalls are Echo v5.4.4's real answers (verified like the
// table) for errors where DESIGN.md prescribes, or may prescribe, another answer:
// echoerr's EchoJSON() is NOT required to match these; compare them deliberately.
var v5DefaultHandlerJudgmentCalls = []v5DefaultHandlerCase{
	{
		name:       "HTTPError code 0: Echo answers 500 and keeps Message; DESIGN.md: a server bug, 500 + log",
		err:        echo.NewHTTPError(0, "zero"),
		wantStatus: http.StatusInternalServerError,
		wantBody:   `{"message":"zero"}` + "\n",
	},
	{
		name:        "HTTPError code 0, no message: Echo answers 500 with its status text",
		exposeError: true,
		err:         echo.NewHTTPError(0, ""),
		wantStatus:  http.StatusInternalServerError,
		wantBody:    `{"message":"Internal Server Error"}` + "\n",
	},
	{
		name:       "bare context.DeadlineExceeded: Echo 500; DESIGN.md says 503",
		err:        errContextDeadline,
		wantStatus: http.StatusInternalServerError,
		wantBody:   `{"message":"Internal Server Error"}` + "\n",
	},
}

// v5DefaultHandlerPanics are errors for which Echo v5.4.4's DefaultHTTPErrorHandler
// panics (the panic leaves e.ServeHTTP; net/http would recover it and drop the
// connection). echoerr must answer each with a minimal 500 and log it.
var v5DefaultHandlerPanics = []struct {
	name      string
	err       error
	wantPanic string // the panic value's text
}{
	{"status above 999", echo.NewHTTPError(1000, "big"), "invalid WriteHeader code 1000"},
	{"negative status", echo.NewHTTPError(-1, "neg"), "invalid WriteHeader code -1"},
	{"status below 100", echo.NewHTTPError(42, "small"), "invalid WriteHeader code 42"},
	{"typed nil *HTTPError", (*echo.HTTPError)(nil), "runtime error: invalid memory address or nil pointer dereference"},
}

// runV5DefaultCase serves GET (or tc.method) /path through a fresh Echo whose only
// route, e.Any("/path"), returns tc.err, with h as the error handler (the harness
// of echo_test.go:1433-1451).
func runV5DefaultCase(h echo.HTTPErrorHandler, tc v5DefaultHandlerCase) *httptest.ResponseRecorder {
	e := echo.New()
	e.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	e.Any("/path", func(c *echo.Context) error { return tc.err })
	e.HTTPErrorHandler = h
	method := tc.method
	if method == "" {
		method = http.MethodGet
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(method, "/path", nil))
	return rec
}
