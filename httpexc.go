package echoerr

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// StatusClientClosedRequest is the status recorded when the client went
// away before the response was written (context.Canceled). Nothing is sent
// for it; it exists so that access logs and metrics can tell the case apart.
// The number is nginx's convention.
const StatusClientClosedRequest = 499

// Error is the canonical form of every error echoerr handles: the status,
// its public name and description, the original error, extra response
// headers and extra members for structured renderers.
//
// Handlers adjust the response by returning a modified *Error:
//
//	fe := echoerr.FromError(err)
//	fe.Description = "That user does not exist."
//	return fe
//
// An *Error built by hand needs only a Code; the missing Name and default
// Description are filled in when it is rendered. A Name or Description
// that was filled in by default follows Code: changing only the Code of
// FromError(err) gives the new code's name and default description, while
// text that someone set (a route's message, a handler) is kept.
type Error struct {
	// Code is the HTTP status code, 100–999.
	Code int
	// Name is the reason phrase, such as "Not Found".
	Name string
	// Description is the public, human-readable explanation. It is shown to
	// clients, so it must never contain internal detail.
	Description string
	// Err is the error this one stands for. It is never shown to clients
	// outside debug mode.
	Err error
	// Header holds headers added to the error response, such as Allow,
	// WWW-Authenticate or Retry-After.
	Header http.Header
	// Extensions are extra members for structured renderers (top-level
	// members in JSON and problem+json, available to templates).
	Extensions map[string]any

	// debug is set by the handler in debug mode; see Debug.
	debug *DebugInfo

	// filled records what fillDefaults filled in, for which Code: a Name or
	// Description that is still that code's default is replaced by the new
	// code's when someone changes Code (fe := FromError(err); fe.Code = 404).
	filled defaults
}

// defaults is what fillDefaults filled in of an *Error.
type defaults struct {
	code              int
	name, description bool
}

// staleName reports whether e's Name is the default filled in for another
// Code than e's.
func (e *Error) staleName() bool {
	return e.filled.name && e.filled.code != e.Code && e.Name == StatusName(e.filled.code)
}

// ownDescription returns e's Description unless it is a default filled in
// for a Code, which says nothing of its own: "" then.
func (e *Error) ownDescription() string {
	if e.filled.description && e.Description == StatusDescription(e.filled.code) {
		return ""
	}
	return e.Description
}

// Error returns "404 Not Found: description", followed by the wrapped
// error's text when there is one. It is meant for logs, not for clients.
func (e *Error) Error() string {
	if e == nil {
		return "<nil *echoerr.Error>"
	}
	name := e.Name
	if name == "" || e.staleName() {
		name = StatusName(e.Code)
	}
	desc := e.ownDescription()
	if desc == "" && e.Description != "" {
		desc = StatusDescription(e.Code)
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.Code))
	b.WriteByte(' ')
	b.WriteString(name)
	if desc != "" {
		b.WriteString(": ")
		b.WriteString(desc)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(safeErrorText(e.Err))
	}
	return b.String()
}

// Unwrap returns the error this one stands for, so that errors.Is and
// errors.As see through an *Error.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// StatusCode returns the HTTP status code. It makes *Error an Echo v5
// HTTPStatusCoder.
func (e *Error) StatusCode() int {
	if e == nil {
		return http.StatusInternalServerError
	}
	return e.Code
}

// Debug returns the debug detail the handler attached to e in debug mode,
// or nil outside debug mode. Renderers show it only when it is non-nil.
func (e *Error) Debug() *DebugInfo {
	if e == nil {
		return nil
	}
	return e.debug
}

// Describer is implemented by errors that carry their own public
// description. The outermost link of an error chain that implements it
// supplies the Description of the canonical *Error.
type Describer interface {
	Description() string
}

// Extender is implemented by errors that carry extra public members, such
// as a payload for API clients. The outermost link that implements it
// supplies the Extensions of the canonical *Error.
type Extender interface {
	Extensions() map[string]any
}

// Headerer is implemented by errors that carry response headers. The
// outermost link that implements it supplies the Header of the canonical
// *Error.
type Headerer interface {
	Header() http.Header
}

// statusCoder is Echo v5's HTTPStatusCoder: any error that knows its status.
type statusCoder interface {
	StatusCode() int
}

// NewError returns an *Error with the given status and public description.
// An empty description means the default one for the status. It is the
// counterpart of Flask's abort(code, description=...):
//
//	return echoerr.NewError(http.StatusNotFound, "No such user.")
func NewError(code int, description string) *Error {
	return &Error{Code: code, Description: description}
}

// BadRequest returns a 400 error with the given public description.
func BadRequest(description string) *Error {
	return NewError(http.StatusBadRequest, description)
}

// Forbidden returns a 403 error with the given public description.
func Forbidden(description string) *Error {
	return NewError(http.StatusForbidden, description)
}

// NotFound returns a 404 error with the given public description.
func NotFound(description string) *Error {
	return NewError(http.StatusNotFound, description)
}

// Conflict returns a 409 error with the given public description.
func Conflict(description string) *Error {
	return NewError(http.StatusConflict, description)
}

// Unauthorized returns a 401 error with the given public description whose
// WWW-Authenticate header carries challenge, such as `Bearer realm="api"`,
// as RFC 9110 requires of a 401. An empty challenge sends no header.
func Unauthorized(description, challenge string) *Error {
	e := NewError(http.StatusUnauthorized, description)
	if challenge != "" {
		e.Header = http.Header{"Www-Authenticate": {challenge}}
	}
	return e
}

// UnprocessableEntity returns a 422 error with the given public
// description: the request was well-formed but its content is invalid
// (a failed validation).
func UnprocessableEntity(description string) *Error {
	return NewError(http.StatusUnprocessableEntity, description)
}

// MethodNotAllowed returns a 405 error whose Allow header lists the allowed
// methods, as RFC 9110 requires.
func MethodNotAllowed(allowed ...string) *Error {
	return &Error{
		Code:   http.StatusMethodNotAllowed,
		Header: http.Header{"Allow": {strings.Join(allowed, ", ")}},
	}
}

// TooManyRequests returns a 429 error. A positive retryAfter is sent as a
// Retry-After header in whole seconds (rounded up, at most maxRetryAfter).
func TooManyRequests(retryAfter time.Duration) *Error {
	return withRetryAfter(http.StatusTooManyRequests, retryAfter)
}

// ServiceUnavailable returns a 503 error. A positive retryAfter is sent as a
// Retry-After header in whole seconds (rounded up, at most maxRetryAfter).
func ServiceUnavailable(retryAfter time.Duration) *Error {
	return withRetryAfter(http.StatusServiceUnavailable, retryAfter)
}

// maxRetryAfter is the longest delay a Retry-After header announces: a
// year. A longer one means "not in the foreseeable future", and rounding a
// huge time.Duration up must not overflow into a negative number.
const maxRetryAfter = 365 * 24 * time.Hour

func withRetryAfter(code int, d time.Duration) *Error {
	e := &Error{Code: code}
	if d > 0 {
		secs := int64(maxRetryAfter / time.Second)
		if d < maxRetryAfter {
			secs = int64((d + time.Second - 1) / time.Second)
		}
		e.Header = http.Header{"Retry-After": {strconv.FormatInt(secs, 10)}}
	}
	return e
}

// StatusOf returns the HTTP status echoerr answers err with: the status of
// the outermost status carrier in the chain (*echo.HTTPError, *Error, or any
// error with a StatusCode() int method), 499 for context.Canceled, 503 for
// context.DeadlineExceeded, and 500 for anything else or an invalid status.
// Logging, metrics and tracing middleware use it to agree with the handler.
//
// StatusOf sees the error only: the handler answers context.Canceled with
// 499 only when the request's context is done too (the client went away),
// and with 500 otherwise. Middleware that has the request checks
// c.Request().Context().Err() for that.
func StatusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	var f chainFacts
	inspect(err, &chainView{}, false, &f)
	return f.status()
}

// validStatus reports whether an error response can carry code. Statuses
// below 200 are informational: net/http would send them as interim
// responses and then answer 200, so they are treated as invalid too.
func validStatus(code int) bool { return code >= 200 && code <= 999 }

// FromError returns the canonical *Error for err: the status as StatusOf
// computes it, the standard name, a public description, and err itself in
// Err. It always returns a new *Error, so a handler may modify the result;
// its Header and Extensions are copies too.
//
// The public description is, from the outermost link that offers one: the
// string Message of an *echo.HTTPError (unless it merely repeats the status
// text), the Description of an *Error, or a Describer's Description().
// Otherwise it is the default description for the status, so the text of an
// unknown error never reaches a client.
func FromError(err error) *Error {
	fe := &Error{}
	normalize(err, &chainView{}, fe)
	return fe
}

// outcome is what normalize found out about the status, beyond the *Error
// it fills. It is small enough to be returned in registers.
type outcome struct {
	invalid  int  // the carrier's status when it is outside the valid range
	carrier  bool // a status carrier set the status
	bad      bool // the carrier's status was invalid (invalid holds it, maybe 0)
	canceled bool // the client went away
}

// normalize fills fe, which the caller owns, from err, whose chain v views,
// and returns what it found out about the status.
func normalize(err error, v *chainView, fe *Error) outcome {
	if err == nil {
		fe.Code = http.StatusInternalServerError
		fe.Name = StatusName(fe.Code)
		fe.Description = StatusDescription(fe.Code)
		return outcome{}
	}
	// An *Error at the top is copied as is, so that a handler's adjusted
	// error renders exactly as it was returned.
	if top, ok := err.(*Error); ok && top != nil {
		*fe = *top
		fe.Header, fe.Extensions = top.Header.Clone(), cloneMap(top.Extensions)
		if fe.staleName() {
			fe.Name = ""
		}
		fe.Description = fe.ownDescription()
		o := outcome{carrier: true}
		if !validStatus(top.Code) {
			o.invalid, o.bad = top.Code, true
			fe.Code, fe.Name, fe.Description = http.StatusInternalServerError, "", ""
		}
		fillDefaults(fe)
		return o
	}
	var f chainFacts
	if he, ok := err.(*echo.HTTPError); ok && he != nil && he.Internal == nil {
		// Echo's own errors (routing 404 and 405 among them): no chain to walk.
		if m, _ := he.Message.(string); m != "" && m == http.StatusText(he.Code) && validStatus(he.Code) {
			// As Echo made them: the status's own text.
			fe.Code, fe.Name, fe.Description, fe.Err = he.Code, m, StatusDescription(he.Code), err
			fe.filled = defaults{code: he.Code, name: true, description: true}
			return outcome{carrier: true}
		}
		f.code, f.carrier = he.Code, true
		if !validStatus(he.Code) {
			f.invalid, f.bad = he.Code, true
		}
		f.desc, _ = publicDescription(he)
		f.ext, _ = linkExtensions(he)
	} else {
		if !v.complete { // flatten a short chain: iterating it costs less than walking it
			var one [1]link
			if single := viewSingle(err, one[:]); single.complete {
				v = &single
			} else {
				var buf [16]link
				if linear, ok := viewLinear(err, buf[:0]); ok {
					v = &linear
				}
			}
		}
		inspect(err, v, true, &f)
	}
	fe.Code = f.status()
	fe.Err = err
	fe.Header = f.header.Clone()
	fe.Extensions = cloneMap(f.ext)
	// A derived status never shows text from the chain, even a Describer's:
	// public text belongs to an error that also states its status.
	if f.carrier && !f.bad {
		fe.Description = f.desc
	}
	fillDefaults(fe)
	return outcome{invalid: f.invalid, carrier: f.carrier, bad: f.bad, canceled: f.canceled}
}

// fillDefaults fills in the missing Name and Description of fe from its
// Code, and records that it did.
func fillDefaults(fe *Error) {
	if fe.Name == "" {
		fe.Name = StatusName(fe.Code)
		fe.filled.name = true
	}
	if fe.Description == "" {
		fe.Description = StatusDescription(fe.Code)
		fe.filled.description = true
	}
	fe.filled.code = fe.Code
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// StatusName returns the reason phrase for code ("Not Found"), "Client
// Closed Request" for 499, and "Error NNN" for codes without one.
func StatusName(code int) string {
	if code == StatusClientClosedRequest {
		return "Client Closed Request"
	}
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Error " + strconv.Itoa(code)
}

// StatusDescription returns the default public description for code: a
// sentence for every standard 4xx and 5xx status, and a generic one by class
// for the rest.
func StatusDescription(code int) string {
	if code >= 0 && code < len(descriptions) && descriptions[code] != "" {
		return descriptions[code]
	}
	switch {
	case code >= 400 && code < 500:
		return "The request could not be processed."
	case code >= 500 && code < 600:
		return "The server could not complete the request."
	}
	return "The request could not be completed."
}

// descriptions are written for the people who read error pages: what went
// wrong and, where it helps, what to do next. Never internal detail.
var descriptions = [...]string{
	400: "The request could not be understood. Check its syntax and parameters.",
	401: "You need to sign in to access this resource.",
	402: "Payment is required to access this resource.",
	403: "You do not have permission to access this resource.",
	404: "The requested URL was not found on this server.",
	405: "This method is not allowed for the requested URL.",
	406: "The server cannot produce a response in any of the formats the request accepts.",
	407: "You need to authenticate with the proxy first.",
	408: "The server timed out waiting for the request.",
	409: "The request conflicts with the current state of the resource.",
	410: "The requested resource is no longer available and will not be again.",
	411: "The request must state its Content-Length.",
	412: "A precondition in the request headers was not met.",
	413: "The request body is larger than the server will process.",
	414: "The request URL is longer than the server will process.",
	415: "The request body is in a format the server does not support.",
	416: "The requested range cannot be satisfied.",
	417: "The expectation in the Expect header cannot be met.",
	418: "The server refuses to brew coffee because it is a teapot.",
	421: "The request was sent to a server that cannot answer it.",
	422: "The request was well-formed but its content is invalid.",
	423: "The resource is locked.",
	424: "The request failed because a request it depends on failed.",
	425: "The server will not process a request that might be replayed.",
	426: "The client must switch to a different protocol.",
	428: "The request must be conditional.",
	429: "Too many requests were sent in a given amount of time. Try again later.",
	431: "The request headers are too large.",
	451: "The resource is unavailable for legal reasons.",
	499: "The client closed the connection before the response was sent.",
	500: "The server encountered an internal error and could not complete the request.",
	501: "The server does not support the functionality required to fulfil the request.",
	502: "The server received an invalid response from an upstream server.",
	503: "The service is temporarily unavailable. Try again later.",
	504: "An upstream server did not respond in time.",
	505: "The HTTP version of the request is not supported.",
	506: "The server has an internal configuration error.",
	507: "The server is out of storage space for this request.",
	508: "The server detected an infinite loop while processing the request.",
	510: "The request needs further extensions to be fulfilled.",
	511: "You need to authenticate to gain network access.",
}

// defaultText reports whether e's public text is its status's own default,
// which quotes nothing and so needs no redaction.
func (e *Error) defaultText() bool {
	return len(e.Extensions) == 0 && e.Description == StatusDescription(e.Code)
}
