package engine

import (
	"log/slog"
	"net/http"
	"reflect"
)

// A Face binds the engine to one Echo. Each method receives c, that Echo's
// context (echo.Context for Echo v4, *echo.Context for Echo v5) as an any:
// converting either to an interface allocates nothing. A Face holds no
// state; its methods are safe for concurrent use.
type Face interface {
	// Request returns the request.
	Request(c any) *http.Request
	// Path returns the path the router matched against (escaped when the
	// URL has a raw path), as it is when the error is handled.
	Path(c any) string
	// Route returns the route pattern that matched, such as "/users/:id".
	Route(c any) string

	// Writer returns the response writer for the error response. When only
	// an informational (1xx) status was written, the face makes the
	// response writable again first: the final response is still to come.
	Writer(c any) http.ResponseWriter
	// Header returns the response headers.
	Header(c any) http.Header
	// Written reports the status of the final response and whether it has
	// been written (committed). An informational status (1xx other than
	// 101 Switching Protocols) is not final.
	Written(c any) (status int, committed bool)
	// SetStatus records code as the response's status without writing it,
	// for access logs and metrics (a client that went away gets 499).
	SetStatus(c any, code int)

	// Value and SetValue keep per-request values (Echo's c.Get and c.Set).
	Value(c any, key string) any
	SetValue(c any, key string, v any)

	// Debug reports the face's own debug default (Echo v4's e.Debug).
	Debug(c any) bool
	// Logger returns the logger the face defaults to, or nil for
	// slog.Default() (Echo v5's e.Logger).
	Logger(c any) *slog.Logger

	// Carrier reports what one link of an error chain carries when it is
	// one of the face's Echo errors (*echo.HTTPError, ...). Links that are
	// *Error or StatusCoder are the engine's business, not the face's.
	Carrier(link error) (Carried, bool)
	// CarrierType reports whether OnType for t registers on rung 4, like
	// OnHTTPError: t is one of Echo's status carriers (*echo.HTTPError).
	CarrierType(t reflect.Type) bool
	// Panic returns, for a link that is a panic recovered by the face's
	// Echo (Echo v5's *middleware.PanicStackError), the stack it carries and
	// the error it stands for; for any other link, a nil stack. The engine
	// shows the stack apart and never the link's own text, which holds it.
	Panic(link error) (stack []byte, cause error)
	// Reroute returns err, or the error Echo's router would have answered
	// the request with instead: the 405 Echo answers as a 404 inside a
	// group with middleware (echo#1981), with its Allow header set.
	Reroute(c any, err error) error
}

// Carried is what an Echo error tells about the response.
type Carried struct {
	// Code is the status.
	Code int
	// Description is the public text, or "" for the status's default.
	Description string
	// Extensions are public members, or nil.
	Extensions map[string]any
	// Problem holds RFC 9457 members, or nil.
	Problem *ProblemMembers
}

// ProblemMembers holds the RFC 9457 members an error carried beyond its status and
// detail, such as Echo v5's ProblemError.
type ProblemMembers struct {
	Type, Title, Instance string
}

// Ctx is one request's context as renderers see it: a face and that face's
// Echo context.
type Ctx struct {
	Face Face
	C    any
}

// Request returns the request.
func (x Ctx) Request() *http.Request { return x.Face.Request(x.C) }

// Header returns the response headers.
func (x Ctx) Header() http.Header { return x.Face.Header(x.C) }

// Final reports, from what Echo's Response recorded (its status, whether it
// counts itself committed, how many body bytes it wrote), the status of the
// final response and whether it was written, for Face.Written. An
// informational status other than 101 (103 Early Hints) precedes the final
// response, unless body bytes followed it: net/http sent those with a 200.
func Final(status int, committed bool, size int64) (int, bool) {
	if !committed || status < 100 || status > 199 || status == http.StatusSwitchingProtocols {
		return status, committed
	}
	if size == 0 {
		return status, false
	}
	return http.StatusOK, true
}
