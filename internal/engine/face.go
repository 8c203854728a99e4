package engine

import (
	"log/slog"
	"net/http"
)

// A Face binds the engine to one Echo. Each method receives c, that Echo's
// context (echo.Context for Echo v4, *echo.Context for Echo v5) as an any:
// converting either to an interface allocates nothing. A Face holds no
// state; its methods are safe for concurrent use.
type Face interface {
	// Request returns the request.
	Request(c any) *http.Request
	// Info returns what else the engine reads of the request, once per
	// error.
	Info(c any) RequestInfo
	// Writer returns the response writer for the error response. When only
	// an informational (1xx) status was written, the face makes the
	// response writable again first: the final response is still to come.
	Writer(c any) http.ResponseWriter
	// Written reports the status of the final response and whether it has
	// been written (committed). An informational status (1xx other than
	// 101 Switching Protocols) is not final.
	Written(c any) (status int, committed bool)
	// SetStatus records code as the response's status without writing it,
	// for access logs and metrics (a client that went away gets 499).
	SetStatus(c any, code int)
	// Keep returns the value kept with the request of c for the engine
	// (Echo's c.Get); when there is none and v is not nil, it keeps v
	// (c.Set) and returns it.
	Keep(c any, v any) any
	// Link reports what one link of an error chain is to the face's Echo:
	// one of its status carriers (*echo.HTTPError, ...), a panic it
	// recovered, or neither. Links that are *Error or StatusCoder are the
	// engine's business, not the face's.
	Link(link error) Link
	// Reroute returns err, or the error Echo's router would have answered
	// the request with instead: the 405 Echo answers as a 404 inside a
	// group with middleware (echo#1981), with its Allow header set.
	Reroute(c any, err error) error
}

// RequestInfo is what the engine reads of a request beyond *http.Request.
type RequestInfo struct {
	// Path is the path the router matched against (escaped when the URL
	// has a raw path), as it is when the error is handled.
	Path string
	// Route is the pattern of the route that matched, such as
	// "/users/:id", or "".
	Route string
	// Debug is the face's own debug default (Echo v4's e.Debug).
	Debug bool
	// Logger is the logger the face defaults to, or nil for slog.Default()
	// (Echo v5's c.Logger()).
	Logger *slog.Logger
	// Handler, called in debug mode only, returns the entry of the function
	// of the handler Echo ran for c's route (not its middleware), or 0; nil
	// for none. It must not panic.
	Handler func(c any) uintptr
	// Params, called in debug mode only, returns the path parameters of
	// the route that matched, name and value, in the route's order.
	Params func(c any) [][2]string
}

// Link is what one link of an error chain is to a face's Echo.
type Link struct {
	// Carrier marks one of the Echo's status carriers; the fields below
	// it tell what it carries.
	Carrier bool
	// Code is the status.
	Code int
	// Description is the public text, or "" for the status's default.
	Description string
	// Extensions are public members, or nil.
	Extensions map[string]any
	// Problem holds RFC 9457 members, or nil.
	Problem *ProblemMembers

	// Stack is, for a panic the Echo recovered (Echo v5's
	// *middleware.PanicStackError), the stack it carries, and Cause the
	// error it stands for; nil otherwise. The engine shows the stack apart
	// and never the link's own text, which holds it.
	Stack []byte
	Cause error
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

	// x is the exchange handling the request's error, when the engine
	// made the Ctx; a face's Ctx (a built-in renderer inside a user's) has
	// none, and exchange looks it up.
	x *exchange
}

// exchange returns the exchange handling the error of x's request, or nil.
// Looking it up costs Echo v4 a c.Get under a mutex: the engine's own Ctx
// carries it.
func (x Ctx) exchange() *exchange {
	if x.x != nil {
		return x.x
	}
	ex, _ := x.Face.Keep(x.C, nil).(*exchange)
	return ex
}

// Request returns the request.
func (x Ctx) Request() *http.Request { return x.Face.Request(x.C) }

// Header returns the response headers.
func (x Ctx) Header() http.Header { return x.Face.Writer(x.C).Header() }

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

// params returns Params(c), or nil when the face has no Params.
func (i RequestInfo) params(c any) [][2]string {
	if i.Params == nil {
		return nil
	}
	return i.Params(c)
}
