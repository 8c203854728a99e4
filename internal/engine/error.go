package engine

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// StatusClientClosedRequest is the status recorded when the client went
// away before the response was written. Nothing is sent for it; it exists so
// that access logs and metrics can tell the case apart (nginx's number).
const StatusClientClosedRequest = 499

// Error is the canonical form of every error the engine handles. The faces
// re-export it under the same name.
type Error struct {
	// Code is the HTTP status code, 200–999.
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
	// members in JSON and problem+json, shown on HTML pages).
	Extensions map[string]any

	// filledFor is the Code whose default Name and Description fill the
	// fields, 0 when nobody filled them: a handler that changes only Code
	// then gets the new code's name and description (see fillDefaults).
	filledFor int
	// problem holds RFC 9457 members an error carried (Echo v5's
	// ProblemError), for the problem+json renderer.
	problem *ProblemMembers
	// debug is set in debug mode; see Debug.
	debug *DebugInfo
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
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.Code))
	b.WriteByte(' ')
	b.WriteString(name)
	if desc := e.Description; desc != "" {
		if e.ownDescription() == "" {
			desc = StatusDescription(e.Code) // a default follows Code
		}
		b.WriteString(": ")
		b.WriteString(desc)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(ErrorText(e.Err))
	}
	return b.String()
}

// Unwrap returns the error this one stands for.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// StatusCode returns the HTTP status code (Echo v5's HTTPStatusCoder).
func (e *Error) StatusCode() int {
	if e == nil {
		return http.StatusInternalServerError
	}
	return e.Code
}

// Debug returns the debug detail attached in debug mode, or nil.
func (e *Error) Debug() *DebugInfo {
	if e == nil {
		return nil
	}
	return e.debug
}

// fillDefaults gives e the name and default description of its code where
// they are missing, or where they are still the defaults of another code (a
// handler took FromError(err) and changed only Code).
func fillDefaults(e *Error) {
	if e.Name == "" || e.staleName() {
		e.Name = StatusName(e.Code)
	}
	if e.Description == "" || e.staleDescription() {
		e.Description = StatusDescription(e.Code)
	}
	e.filledFor = e.Code
}

func (e *Error) staleName() bool {
	return e.filledFor != 0 && e.filledFor != e.Code && e.Name == StatusName(e.filledFor)
}

func (e *Error) staleDescription() bool {
	return e.filledFor != 0 && e.filledFor != e.Code && e.Description == StatusDescription(e.filledFor)
}

// ownDescription is e's Description unless it is still the default filled
// in for a code, which says nothing of its own: "" then.
func (e *Error) ownDescription() string {
	if e.filledFor != 0 && e.Description == StatusDescription(e.filledFor) {
		return ""
	}
	return e.Description
}

// defaultText reports whether e's public text is its status's default,
// which quotes nothing and so needs no redaction.
func (e *Error) defaultText() bool {
	return len(e.Extensions) == 0 && e.Description == StatusDescription(e.Code)
}

// Describer is implemented by errors that carry their own public
// description.
type Describer interface {
	Description() string
}

// Extender is implemented by errors that carry extra public members.
type Extender interface {
	Extensions() map[string]any
}

// Headerer is implemented by errors that carry response headers.
type Headerer interface {
	Header() http.Header
}

// StatusCoder is implemented by errors that know their HTTP status (Echo
// v5's HTTPStatusCoder).
type StatusCoder interface {
	StatusCode() int
}

// NewError returns an *Error with the given status and public description.
func NewError(code int, description string) *Error {
	return &Error{Code: code, Description: description}
}

// Unauthorized returns a 401 error with the given public description whose
// WWW-Authenticate header carries challenge, as RFC 9110 requires.
func Unauthorized(description, challenge string) *Error {
	return &Error{
		Code:        http.StatusUnauthorized,
		Description: description,
		Header:      http.Header{"Www-Authenticate": {challenge}},
	}
}

// MethodNotAllowed returns a 405 error whose Allow header lists allowed.
func MethodNotAllowed(allowed ...string) *Error {
	return &Error{
		Code:   http.StatusMethodNotAllowed,
		Header: http.Header{"Allow": {strings.Join(allowed, ", ")}},
	}
}

// maxRetryAfter bounds Retry-After, so that a huge duration never wraps
// into a negative or absurd number of seconds: a year.
const maxRetryAfter = 365 * 24 * time.Hour

// WithRetryAfter returns an error with status code whose Retry-After header
// is retryAfter in whole seconds, rounded up and at most a year. A retryAfter
// that is not positive sends no header.
func WithRetryAfter(code int, retryAfter time.Duration) *Error {
	e := &Error{Code: code}
	if retryAfter > 0 {
		retryAfter = min(retryAfter, maxRetryAfter)
		secs := (retryAfter + time.Second - 1) / time.Second
		e.Header = http.Header{"Retry-After": {strconv.FormatInt(int64(secs), 10)}}
	}
	return e
}

// validStatus reports whether an error response can carry code. Statuses
// below 200 are informational: net/http would send them as interim
// responses and then answer 200.
func validStatus(code int) bool { return code >= 200 && code <= 999 }

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
