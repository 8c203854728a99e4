// Package echoerr replaces Echo v4's HTTPErrorHandler with the error
// handling Flask users take for granted, and more: handlers by error value,
// error type or status code, error pages for browsers and JSON for API
// clients, scopes per URL prefix or host, and every error logged once.
//
//	e.HTTPErrorHandler = echoerr.New(
//		echoerr.OnError(sql.ErrNoRows, func(c echo.Context, err error) error {
//			return echoerr.NotFound("There is no such user.")
//		}),
//		echoerr.OnType(func(c echo.Context, err *InvalidAPIUsage) error { ... }),
//		echoerr.Group("/api", echoerr.WithRenderer(echoerr.JSON())),
//	)
//
// This package is for Echo v4. For Echo v5, import
// github.com/echoerr/echoerr/v5: the same names with Echo v5's types. The
// precise rules, for both, are in the reference:
// https://github.com/echoerr/echoerr/blob/main/docs/reference.md
//
// # The path of one error
//
// Each request's error is handled exactly once, even when middleware such
// as BodyDump or RequestLogger (HandleError: true) makes Echo call the
// handler twice. The error is normalized into an [*Error] (see [FromError]).
// Its status comes from the error chain: the error the route returned and
// every error it wraps (with %w or errors.Join), each a link of the chain,
// walked outermost first as errors.As walks it. The outermost link that
// carries a status decides it: an *echo.HTTPError, an *Error, or an error
// with a StatusCode() int method. So a wrapped *echo.HTTPError keeps its
// status. Without one, context.Canceled while the request's context is done
// and its connection closed means the client went away (499, nothing
// written, logged at Debug); context.DeadlineExceeded is 503; anything else
// is 500. A status outside 200–999 is answered with 500 and logged.
//
// A handler is then chosen: the most specific handler wins. The kinds of
// handler, most specific first:
//
//	registered with                 runs for
//	OnError(target, h), OnType(h)   a value (errors.Is) or a type (errors.As) in the error's chain
//	OnCode(code, h)                 exactly that status
//	OnRange(lo, hi, h)              a status in the range (the narrowest range wins)
//	OnHTTPError(h)                  any error that carries a status
//	OnAny(h)                        everything
//
// Among OnError and OnType handlers, the outermost matching link wins; at
// one link a value comes before the exact type, then interface types, then
// registration order.
//
// A [HandlerFunc] receives the error as the route returned it. One that
// returns nil has handled the error; if it wrote nothing, the canonical
// error is rendered for it. One that returns [Pass] declines, and the next
// candidate is tried. One that returns another error has that error
// rendered (it is not dispatched again); returning the error it was given
// means "render it the default way". A handler may also write its own
// response. A panic anywhere in error handling is recovered, logged and
// answered with a minimal 500. Bad registrations panic in [New].
//
// The response is written by the [Renderer] in effect ([WithRenderer]); by
// default Negotiate(JSON(), HTML(), Problem(), Text()), so browsers
// get HTML pages and curl, fetch() and API clients get JSON. [EchoJSON]
// writes exactly what Echo's own handler writes. The response keeps headers
// set earlier (CORS), drops content headers, adds the error's own headers,
// X-Content-Type-Options: nosniff and Cache-Control: no-store, and has no
// body for HEAD. A response that was already committed is not touched: the
// error is only logged and reported.
//
// Finally the error is logged once through log/slog ([WithLogger]; 5xx at
// Error with the chain and the stack, 4xx at Info, a gone client at Debug)
// and given once to the reporter ([WithReporter]) when it is reportable,
// 5xx by default ([WithReportFilter]). What is logged and shown in debug
// mode about an error is bounded, whatever its chain: at most 32 links (the
// first 16 and the last 16, with a note of how many were left out), each
// link's text at most 1 KiB, and the error's whole text in a log record at
// most 8 KiB; a stack is the failing goroutine's only. A public description
// is never cut. Log records have the values of the secret request headers
// (Authorization, Cookie, Proxy-Authorization) and of Set-Cookie redacted
// wherever an error's text quotes them.
//
// # Scopes
//
// [Group] and [Host] declare scopes inside New, each with its own handlers,
// renderer, logger, reporter and debug setting. The innermost scope matching
// the request tries all its handlers first, in the order above, then its
// parent's, up to the application's; the nearest scope that sets a renderer (or logger, ...) wins.
// A scope is matched on the request's path and host, not on the route, so
// its handlers also see the router's 404 and 405 for URLs under its prefix.
//
// # Public text
//
// Clients see the Description only: an *echo.HTTPError's string Message,
// an *Error's Description, a [Describer]'s, or a default sentence for the
// status. The text of an unknown error and an HTTPError's Internal never
// reach them outside debug mode. In debug mode ([WithDebug], or Echo's
// e.Debug by default) responses add the error chain, the stack when an
// error carries one, and the request, with the values of Authorization,
// Cookie, Set-Cookie and Proxy-Authorization redacted (see [Redact]).
//
// # Middleware and panics
//
// [Middleware] handles the error inside the middleware chain, so that
// tracing, metrics and error trackers registered before it see the status
// the client got. [Recover] turns a panic into an error that keeps the
// panicking goroutine's stack, for the log and the debug page; Echo's own
// middleware.Recover works too, but prints the stack itself and returns the
// error without it.
package echoerr

//go:generate go run ./internal/facegen

import (
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"unsafe"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr/internal/engine"
)

// errorHandler is h as Echo v4's error handler.
func errorHandler(h *engine.Handler) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) { h.Handle(c, err) }
}

// handleInChain runs next and hands its error to h, for Middleware.
func handleInChain(h echo.HTTPErrorHandler, next echo.HandlerFunc, c echo.Context) {
	if err := next(c); err != nil {
		h(err, c)
	}
}

// face binds the engine to Echo v4.
type face struct{}

func (face) Request(c any) *http.Request { return c.(echo.Context).Request() }
func (face) SetStatus(c any, code int)   { c.(echo.Context).Response().Status = code }

// Info: the path Echo v4's router matched (echo.GetPath), the route, and
// e.Debug; Echo v4 has no logger of the request's, so slog.Default().
func (face) Info(c any) engine.RequestInfo {
	ec := c.(echo.Context)
	e := ec.Echo()
	return engine.RequestInfo{Path: echo.GetPath(ec.Request()), Route: ec.Path(), Debug: e != nil && e.Debug, Handler: routeHandler, Params: pathParams}
}

// routeHandler returns the entry of the function of the handler registered
// for c's route, for the debug page, or 0. Echo v4's router holds it behind
// a closure of its own, (*Echo).add.func1, that applies the route's
// middleware, and keeps only its name (Route.Name). The handler is read from
// that closure's first captured variable, and kept only when its function
// has the name of one of the routes registered for c's path: a closure laid
// out otherwise, or a route renamed, gives no location, never a wrong one.
func routeHandler(c any) (pc uintptr) {
	defer func() {
		if recover() != nil {
			pc = 0
		}
	}()
	ec := c.(echo.Context)
	h, e := ec.Handler(), ec.Echo()
	if h == nil || e == nil || ec.Path() == "" {
		return 0
	}
	pc = reflect.ValueOf(h).Pointer()
	if fn := runtime.FuncForPC(pc); fn != nil && fn.Name() == "github.com/labstack/echo/v4.(*Echo).add.func1" {
		closure := *(**struct {
			code    uintptr
			handler echo.HandlerFunc
		})(unsafe.Pointer(&h))
		if closure.handler == nil {
			return 0
		}
		pc = reflect.ValueOf(closure.handler).Pointer()
	}
	fn := runtime.FuncForPC(pc)
	routers := []*echo.Router{e.Router()}
	for _, r := range e.Routers() {
		routers = append(routers, r)
	}
	for _, r := range routers {
		for _, route := range r.Routes() {
			if fn != nil && route.Path == ec.Path() && route.Name == fn.Name() {
				return pc
			}
		}
	}
	return 0
}

// pathParams is RequestInfo.Params: the route's path parameters.
func pathParams(c any) [][2]string {
	ec := c.(echo.Context)
	names, values := ec.ParamNames(), ec.ParamValues()
	params := make([][2]string, 0, len(names))
	for i, name := range names {
		if i < len(values) {
			params = append(params, [2]string{name, values[i]})
		}
	}
	return params
}

func (face) Keep(c any, v any) any {
	ec := c.(echo.Context)
	if kept := ec.Get(engine.KeepKey); kept != nil || v == nil {
		return kept
	}
	ec.Set(engine.KeepKey, v)
	return v
}

// Writer returns Echo's response. After an informational status (103
// Early Hints), Echo's Response counts itself committed; the final response
// is still to be written, so it is made writable again.
func (face) Writer(c any) http.ResponseWriter {
	res := c.(echo.Context).Response()
	if _, final := engine.Final(res.Status, res.Committed, res.Size); res.Committed && !final {
		res.Committed = false
	}
	return res
}

func (face) Written(c any) (int, bool) {
	res := c.(echo.Context).Response()
	return engine.Final(res.Status, res.Committed, res.Size)
}

// isCarrierType reports whether OnType for t registers where OnHTTPError
// does: t is *echo.HTTPError, Echo v4's error that carries a status.
func isCarrierType(t reflect.Type) bool { return t == reflect.TypeFor[*echo.HTTPError]() }

func (face) Reroute(c any, err error) error { return restoreMethodNotAllowed(c.(echo.Context), err) }

// Link reads an *echo.HTTPError: its status (that of the HTTPError it
// holds in Internal, as in Echo), a string Message as the public
// description unless it merely repeats the status text or is the Proxy
// middleware's internal text (see proxyUpstreamText), and any other Message
// that is not an error (a map or struct, which Echo would have sent as the
// body) as the member "message". Echo v4's Recover returns a panic's
// error without its stack: there is no panic to recognize (echoerr's
// Recover keeps the stack in a form the engine knows).
func (face) Link(link error) engine.Link {
	he, ok := link.(*echo.HTTPError)
	if !ok || he == nil {
		return engine.Link{}
	}
	if inner, ok := he.Internal.(*echo.HTTPError); ok && inner != nil {
		he = inner
	}
	c := engine.Link{Carrier: true, Code: he.Code}
	switch m := he.Message.(type) {
	case nil, error:
	case string:
		if m != http.StatusText(he.Code) && !proxyUpstreamText(he.Code, m) {
			c.Description = m
		}
	default:
		c.Extensions = map[string]any{"message": m}
	}
	return c
}

// proxyUpstreamText reports whether m is the message of a 502 that Echo
// v4's Proxy middleware made: "remote <upstream> unreachable, could not
// forward: <error>", or for its raw (WebSocket) mode "proxy raw, dial
// error=<error>, url=<upstream>" and "proxy raw, request header copy
// error=<error>, url=<upstream>". It names the upstream's address and the
// dial error, which are internal: such an error gets the default public
// description, and its text goes to the log only.
func proxyUpstreamText(code int, m string) bool {
	if code != http.StatusBadGateway {
		return false
	}
	if strings.HasPrefix(m, "remote ") {
		return strings.Contains(m, " unreachable, could not forward: ")
	}
	return (strings.HasPrefix(m, "proxy raw, dial error=") || strings.HasPrefix(m, "proxy raw, request header copy error=")) &&
		strings.Contains(m, ", url=")
}
