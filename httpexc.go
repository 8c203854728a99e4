package echoerr

import (
	"net/http"
	"time"

	"github.com/echoerr/echoerr/httperr"
	"github.com/echoerr/echoerr/internal/engine"
)

// Error is the canonical form of every error echoerr handles, defined in
// package httperr (go doc github.com/echoerr/echoerr/httperr.Error):
//
//	type Error struct {
//		Code        int                // the HTTP status, 200–999
//		Name        string             // the reason phrase, such as "Not Found"
//		Description string             // the public explanation, shown to clients
//		Err         error              // the error it stands for, never shown outside debug mode
//		Header      http.Header        // headers added to the response (Allow, WWW-Authenticate, Retry-After)
//		Extensions  map[string]any     // extra members for structured renderers
//		Fingerprint string             // groups it with others like it; set by storm control (StormControl)
//		Debug       *httperr.DebugInfo // set before rendering: the detail in debug mode, else nil
//	}
//
// It implements error, Unwrap() error and StatusCode() int. Handlers adjust
// the response by returning a modified *Error:
//
//	fe := echoerr.FromError(err)
//	fe.Description = "That user does not exist."
//	return fe
//
// An *Error built by hand needs only a Code; a missing Name or Description
// is filled in when it is rendered, and a Name or Description that is the
// default of another status follows a changed Code. An error type of your
// own feeds the canonical *Error through httperr's Describer, Extender and
// Headerer.
type Error = httperr.Error

// NewError returns an *Error with the given status and public description.
// An empty description means the default one for the status. It is the
// counterpart of Flask's abort(code, description=...):
//
//	return echoerr.NewError(http.StatusNotFound, "No such user.")
func NewError(code int, description string) *Error { return engine.NewError(code, description) }

// BadRequest returns a 400 error with the given public description.
func BadRequest(description string) *Error { return NewError(http.StatusBadRequest, description) }

// Unauthorized returns a 401 error with the given public description whose
// WWW-Authenticate header carries challenge, such as `Bearer realm="api"`,
// as RFC 9110 requires.
func Unauthorized(description, challenge string) *Error {
	return engine.Unauthorized(description, challenge)
}

// Forbidden returns a 403 error with the given public description.
func Forbidden(description string) *Error { return NewError(http.StatusForbidden, description) }

// NotFound returns a 404 error with the given public description.
func NotFound(description string) *Error { return NewError(http.StatusNotFound, description) }

// TooManyRequests returns a 429 error with the given public description. A
// positive retryAfter is sent as a Retry-After header in whole seconds,
// rounded up and at most a year.
func TooManyRequests(description string, retryAfter time.Duration) *Error {
	return engine.WithRetryAfter(http.StatusTooManyRequests, description, retryAfter)
}

// ServiceUnavailable returns a 503 error with the given public description.
// A positive retryAfter is sent as a Retry-After header in whole seconds,
// rounded up and at most a year.
func ServiceUnavailable(description string, retryAfter time.Duration) *Error {
	return engine.WithRetryAfter(http.StatusServiceUnavailable, description, retryAfter)
}

// StatusOf returns the HTTP status echoerr answers err with: the status of
// the outermost error in the chain that carries one (one of Echo's errors,
// listed in the package documentation, an *Error, or any error with a
// StatusCode() int method), 499 for context.Canceled, 503 for
// context.DeadlineExceeded, and 500 for anything else or an invalid status.
// Logging, metrics and tracing middleware use it to agree with the handler.
// It cannot see the request: the handler answers a context.Canceled with
// 500 when the client is still connected (see Middleware, which lets such
// middleware read the status the client got instead).
func StatusOf(err error) int { return engine.StatusOf(face{}, err) }

// FromError returns the canonical *Error for err: the status as StatusOf
// computes it, the standard name, a public description, and err itself in
// Err. It always returns a new *Error, so a handler may modify the result;
// its Header and Extensions are copies too.
//
// The public description is, from the outermost link that offers one: the
// public text of one of Echo's errors (see the package documentation), the
// Description of an *Error, or a Describer's Description().
// Otherwise it is the default description for the status, so the text of an
// unknown error never reaches a client.
func FromError(err error) *Error { return engine.FromError(face{}, err) }
