package echoerr

import (
	"net/http"
	"time"

	"github.com/echoerr/echoerr/internal/engine"
)

// StatusClientClosedRequest is the status recorded when the client went
// away before the response was written (context.Canceled while the
// request's context is done). Nothing is sent for it; it exists so that
// access logs and metrics can tell the case apart. The number is nginx's
// convention.
const StatusClientClosedRequest = engine.StatusClientClosedRequest

// Error is the canonical form of every error echoerr handles:
//
//	type Error struct {
//		Code        int            // the HTTP status, 200–999
//		Name        string         // the reason phrase, such as "Not Found"
//		Description string         // the public explanation, shown to clients
//		Err         error          // the error it stands for, never shown outside debug mode
//		Header      http.Header    // headers added to the response (Allow, WWW-Authenticate, Retry-After)
//		Extensions  map[string]any // extra members for structured renderers
//	}
//
// It implements error, Unwrap() error and StatusCode() int, and its Debug
// method returns the debug detail attached in debug mode. Handlers adjust
// the response by returning a modified *Error:
//
//	fe := echoerr.FromError(err)
//	fe.Description = "That user does not exist."
//	return fe
//
// An *Error built by hand needs only a Code; the missing Name and default
// Description are filled in when it is rendered, and a Name or Description
// that are still the defaults of an earlier Code follow a changed Code.
type Error = engine.Error

// Describer is implemented by errors that carry their own public
// description. The outermost link of an error chain that implements it
// supplies the Description of the canonical *Error, when the chain's status
// comes from a status carrier.
type Describer = engine.Describer

// Extender is implemented by errors that carry extra public members, such
// as a payload for API clients. The outermost link that implements it
// supplies the Extensions of the canonical *Error.
type Extender = engine.Extender

// Headerer is implemented by errors that carry response headers. The
// outermost link that implements it supplies the Header of the canonical
// *Error.
type Headerer = engine.Headerer

// DebugInfo is the detail added to error responses in debug mode. Values of
// the Authorization, Cookie, Set-Cookie and Proxy-Authorization headers are
// redacted everywhere in it, including inside error messages.
type DebugInfo = engine.DebugInfo

// DebugLink is one link of an error chain, as DebugInfo lists it.
type DebugLink = engine.DebugLink

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

// MethodNotAllowed returns a 405 error whose Allow header lists the allowed
// methods, as RFC 9110 requires.
func MethodNotAllowed(allowed ...string) *Error { return engine.MethodNotAllowed(allowed...) }

// Conflict returns a 409 error with the given public description.
func Conflict(description string) *Error { return NewError(http.StatusConflict, description) }

// UnprocessableEntity returns a 422 error with the given public
// description: the request was well-formed, its content is not (a failed
// validation).
func UnprocessableEntity(description string) *Error {
	return NewError(http.StatusUnprocessableEntity, description)
}

// TooManyRequests returns a 429 error. A positive retryAfter is sent as a
// Retry-After header in whole seconds, rounded up and at most a year.
func TooManyRequests(retryAfter time.Duration) *Error {
	return engine.WithRetryAfter(http.StatusTooManyRequests, retryAfter)
}

// ServiceUnavailable returns a 503 error. A positive retryAfter is sent as a
// Retry-After header in whole seconds, rounded up and at most a year.
func ServiceUnavailable(retryAfter time.Duration) *Error {
	return engine.WithRetryAfter(http.StatusServiceUnavailable, retryAfter)
}

// StatusOf returns the HTTP status echoerr answers err with: the status of
// the outermost status carrier in the chain (Echo's errors, *Error, or any
// error with a StatusCode() int method — echo.HTTPStatusCoder, as
// echo.StatusCode decides), 499 for context.Canceled, 503 for
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
// Message of an *echo.HTTPError (unless it merely repeats the status text),
// the Detail of an *echo.ProblemError (or a ProblemErrorer's), the
// Description of an *Error, or a Describer's Description(). An
// *echo.BindingError names its field in the member "field".
// Otherwise it is the default description for the status, so the text of an
// unknown error never reaches a client.
func FromError(err error) *Error { return engine.FromError(face{}, err) }

// StatusName returns the reason phrase for code ("Not Found"), "Client
// Closed Request" for 499, and "Error NNN" for codes without one.
func StatusName(code int) string { return engine.StatusName(code) }

// StatusDescription returns the default public description for code: a
// sentence for every standard 4xx and 5xx status, and a generic one by class
// for the rest.
func StatusDescription(code int) string { return engine.StatusDescription(code) }
