package httperr

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Error is the canonical form of every error echoerr handles. Handlers
// adjust the response by returning a modified *Error:
//
//	fe := echoerr.FromError(err)
//	fe.Description = "That user does not exist."
//	return fe
//
// An *Error built by hand needs only a Code: a missing Name or Description
// is filled in with the status's default when it is rendered, and a Name or
// Description that is the default of another status (a handler changed only
// the Code) follows the Code.
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
	// Extensions are extra members for structured renderers: top-level
	// members in JSON and problem+json, and a list on HTML pages. Keys that
	// name one of the renderer's own members, in any letter case, are left
	// out.
	Extensions map[string]any
	// Debug is the debug detail, set by echoerr before each renderer runs:
	// in debug mode the error chain, the stack and the request, with
	// secrets redacted; nil otherwise, whatever a handler put there.
	Debug *DebugInfo
}

// Error returns "404 Not Found: description", followed by the wrapped
// error's text when there is one. It is meant for logs, not for clients.
func (e *Error) Error() string {
	if e == nil {
		return "<nil *httperr.Error>"
	}
	name, desc := e.Name, e.Description
	if name == "" || isDefault(name) {
		name = StatusName(e.Code) // a default follows Code
	}
	if isDefault(desc) {
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
		b.WriteString(errorText(e.Err))
	}
	return b.String()
}

// errorText returns err.Error(), or a note when that panics: a log line
// must not take the server down.
func errorText(err error) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("<%T: Error() panicked: %v>", err, p)
		}
	}()
	return err.Error()
}

// Unwrap returns the error this one stands for.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// StatusCode returns the HTTP status code (Echo v5's HTTPStatusCoder); a
// nil *Error is a 500.
func (e *Error) StatusCode() int {
	if e == nil {
		return http.StatusInternalServerError
	}
	return e.Code
}

// Describer is implemented by errors that carry their own public
// description. The outermost link of an error chain that implements it
// supplies the Description of the canonical *Error, when the chain's status
// comes from a link that carries one (an *echo.HTTPError, an echoerr
// *Error, or an error with a StatusCode() int method).
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

// MediaTyper is implemented by renderers that declare the media types they
// write, most preferred first, such as "application/json". echoerr's
// Negotiate requires it of every renderer it picks from.
type MediaTyper interface {
	MediaTypes() []string
}
