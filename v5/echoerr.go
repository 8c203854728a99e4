// Package echoerr replaces Echo v5's HTTPErrorHandler with the error
// handling Flask users take for granted, and more: handlers by error value,
// error type or status code, error pages for browsers and JSON for API
// clients, scopes per URL prefix or host, and every error logged once.
//
//	e := echo.New()
//	e.Use(echoerr.Recover())
//	e.HTTPErrorHandler = echoerr.New(
//		echoerr.OnError(sql.ErrNoRows, func(c *echo.Context, err error) error {
//			return echoerr.NotFound("There is no such user.")
//		}),
//		echoerr.OnType(func(c *echo.Context, err *InvalidAPIUsage) error { ... }),
//		echoerr.Group("/api", echoerr.WithRenderer(echoerr.JSON())),
//	)
//
// This package is for Echo v5. github.com/echoerr/echoerr serves Echo v4
// with the same names: moving an application from Echo v4 to v5 changes
// echoerr's import path, and the few things listed below that Echo v5
// itself changed. The precise rules, for both, are in the reference:
// https://github.com/echoerr/echoerr/blob/main/docs/reference.md
//
// # In short
//
// The status of an error comes from its chain: the error the route
// returned and every error it wraps (with %w or errors.Join), each a link
// of the chain, walked outermost first as errors.As walks it. The outermost
// link that carries a status decides it: an echo.HTTPStatusCoder, which
// *echo.HTTPError, Echo's built-in errors and [*Error] are. Without one,
// context.Canceled for a client that went away is 499 (nothing written),
// context.DeadlineExceeded 503, anything else 500 with a generic
// description.
//
// The most specific handler wins. The kinds of handler, most specific
// first:
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
// registration order. Inside [Group] or [Host] scopes, the innermost scope
// matching the request tries all its handlers first, then its parent's.
// A [HandlerFunc] returns nil (handled; rendered for it if it wrote
// nothing), [Pass] (not mine: the next handler in that order is tried) or
// another error (rendered instead).
//
// The default [Renderer] negotiates by Accept: HTML pages for browsers, JSON
// for curl, fetch() and API clients, problem+json and text on request.
// Each error is logged once ([WithLogger]) and each 5xx reported once
// ([WithReporter]); [Middleware] handles the error inside the chain so that
// tracing and metrics see the final status. Clients see the public
// description only; debug mode ([WithDebug]) adds the chain, the stack and
// the request, with secret header values redacted, in log records too.
// What is logged and shown about an error is bounded, whatever its chain:
// at most 32 links of at most 1 KiB each, 8 KiB of error text in a log
// record, the failing goroutine's stack only. A public description is
// never cut.
//
// # What is particular to Echo v5
//
//   - Echo v5's built-in errors (echo.ErrNotFound, ...) implement
//     echo.HTTPStatusCoder, as do *echo.HTTPError, *echo.ProblemError and
//     *echo.BindingError: the outermost one in the chain decides the
//     status, as echo.StatusCode does. An *echo.HTTPError's Message is its
//     public description; what it wraps (HTTPError.Wrap) is internal.
//   - OnType[*echo.HTTPError] and OnType[echo.HTTPStatusCoder] take the
//     place of an OnHTTPError handler in precedence order. Echo's built-in errors are not
//     *echo.HTTPError: OnHTTPError and OnCode see them, an OnType handler
//     for *echo.HTTPError does not.
//   - Echo v5 has no e.Debug: debug mode is on only with WithDebug(true).
//   - Without WithLogger, errors are logged through the context's logger,
//     e.Logger by default.
//   - Echo's own middleware.Recover works as well as [Recover]: its
//     *middleware.PanicStackError, whose text holds the stack, is cut to the
//     panicking goroutine for the log and the debug page, and never reaches
//     a public body. Recover adds the frames as program counters, for error
//     trackers.
//   - RequestLogger with HandleError: true calls the error handler and
//     returns the error, so Echo calls it again: the second call does
//     nothing.
//   - A wrong method inside a group with middleware, which Echo's router
//     answers with 404 (echo#1981), is answered with 405 and Allow, found by
//     asking the router for the route's other methods.
//   - An *echo.BindingError is a 400 whose description names the field.
//   - EchoJSON writes what echo.DefaultHTTPErrorHandler(exposeError)
//     writes, with exposeError the debug setting; Problem and JSON honour
//     *echo.ProblemError and echo.ProblemErrorer (type, title, detail,
//     instance).
package echoerr

import (
	"fmt"
	"net/http"
	"reflect"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/echoerr/echoerr/internal/engine"
)

// errorHandler is h as Echo v5's error handler. What the route wrote is
// tracked while the error is handled, for a writer above Echo's Response
// that holds it back (see tracked).
func errorHandler(h *engine.Handler) echo.HTTPErrorHandler {
	return func(c *echo.Context, err error) {
		defer track(c)()
		h.Handle(c, err)
	}
}

// handleInChain runs next and hands its error to h, for Middleware. What the
// route writes is tracked too, for a writer above Echo's Response that
// holds it back (see tracked).
func handleInChain(h echo.HTTPErrorHandler, next echo.HandlerFunc, c *echo.Context) {
	defer track(c)()
	if err := next(c); err != nil {
		h(c, err)
	}
}

// face binds the engine to Echo v5.
type face struct{}

func (face) Request(c any) *http.Request { return c.(*echo.Context).Request() }

// Info: the path Echo v5's router matches (the escaped RawPath when the URL
// has one), the route, and the request's logger; Echo v5 has no debug
// switch.
func (face) Info(c any) engine.RequestInfo {
	ec := c.(*echo.Context)
	u := ec.Request().URL
	path := u.Path
	if u.RawPath != "" {
		path = u.RawPath
	}
	return engine.RequestInfo{Path: path, Route: ec.Path(), Logger: ec.Logger(), Handler: routeHandler, Params: pathParams}
}

// routeHandler returns the entry of the function of the handler Echo v5's
// router holds for c's route, for the debug page, or 0. Echo keeps it from
// view (RouteInfo has none): the router is asked again for the request, with
// a context of its own, and its answer is kept when it is the same route.
// For a route with route-level middleware, the router holds the outermost
// middleware.
func routeHandler(c any) (pc uintptr) {
	defer func() {
		if recover() != nil {
			pc = 0
		}
	}()
	ec := c.(*echo.Context)
	ri, e := ec.RouteInfo(), ec.Echo()
	if e == nil || ri.Path == "" {
		return 0
	}
	probe := e.NewContext(ec.Request(), nil)
	h := e.Router().Route(probe)
	if got := probe.RouteInfo(); h == nil || got.Method != ri.Method || got.Path != ri.Path {
		return 0
	}
	return reflect.ValueOf(h).Pointer()
}

func (face) Keep(c any, v any) any {
	ec := c.(*echo.Context)
	if kept := ec.Get(engine.KeepKey); kept != nil || v == nil {
		return kept
	}
	ec.Set(engine.KeepKey, v)
	return v
}

// response returns Echo's Response beneath c's writer, or nil when a
// middleware replaced the writer with one that does not unwrap to it.
func response(c any) *echo.Response {
	r, _ := echo.UnwrapResponse(c.(*echo.Context).Response())
	return r
}

// Writer returns c's writer. After an informational status (103 Early
// Hints), Echo's Response counts itself committed; the final response is
// still to be written, so it is made writable again.
func (face) Writer(c any) http.ResponseWriter {
	if r := response(c); r != nil {
		if _, final := engine.Final(r.Status, r.Committed, r.Size); r.Committed && !final {
			r.Committed = false
		}
	}
	return c.(*echo.Context).Response()
}

// Written reads Echo's Response, and the tracked writer above it (see
// tracked): a status that went through c's writer is written, even when a
// middleware's writer holds it back from Echo's Response.
func (face) Written(c any) (int, bool) {
	status, committed := 0, false
	if r := response(c); r != nil {
		status, committed = engine.Final(r.Status, r.Committed, r.Size)
	}
	if t := trackedOf(c.(*echo.Context).Response()); !committed && t != nil && t.status != 0 {
		return t.status, true
	}
	return status, committed
}

// SetStatus records code for a response that is not written (a gone
// client's 499) and counts the response as committed, without writing:
// echo.ResolveResponseStatus, which Echo v5's RequestLogger and other
// middleware use, then reports 499 rather than deriving 500 from the error.
func (face) SetStatus(c any, code int) {
	if r := response(c); r != nil && !r.Committed {
		r.Status, r.Committed = code, true
	}
}

// isCarrierType reports whether OnType for t registers where OnHTTPError
// does: t is *echo.HTTPError or echo.HTTPStatusCoder, which stand for any
// error that carries a status.
func isCarrierType(t reflect.Type) bool {
	return t == reflect.TypeFor[*echo.HTTPError]() || t == reflect.TypeFor[echo.HTTPStatusCoder]()
}

// pathParams is RequestInfo.Params: the route's path parameters.
func pathParams(c any) [][2]string {
	values := c.(*echo.Context).PathValues()
	params := make([][2]string, len(values))
	for i, v := range values {
		params[i] = [2]string{v.Name, v.Value}
	}
	return params
}

func (face) Reroute(c any, err error) error { return restoreMethodNotAllowed(c.(*echo.Context), err) }

// Link reads Echo v5's errors that say more than their status: an
// *echo.HTTPError's Message is its public description (unless it merely
// repeats the status text); an *echo.BindingError also names its field; an
// *echo.ProblemError, or what an echo.ProblemErrorer returns, gives the
// RFC 9457 members. Echo's other built-in errors are plain
// echo.HTTPStatusCoders, which the engine reads itself. It also recognizes
// what middleware.Recover returns: its Error() text holds the stack, which
// belongs in the log and the debug page only.
func (face) Link(link error) engine.Link {
	switch e := link.(type) {
	case *echo.BindingError:
		if e != nil && e.HTTPError != nil {
			return engine.Link{
				Carrier:     true,
				Code:        e.Code,
				Description: bindingDescription(e),
				Extensions:  map[string]any{"field": e.Field},
			}
		}
	case *echo.HTTPError:
		if e != nil {
			return carriedHTTPError(e)
		}
	case *echo.ProblemError:
		if e != nil {
			return carriedProblem(e)
		}
	case echo.ProblemErrorer:
		if pe := e.ProblemError(); pe != nil {
			return carriedProblem(pe)
		}
	case *middleware.PanicStackError:
		if e != nil {
			return engine.Link{Stack: e.Stack, Cause: e.Err}
		}
	}
	return engine.Link{}
}

// bindingDescription names the field a binding error is about: Echo's own
// messages say where the value came from ("query param") or what failed
// ("failed to bind field value to int"), not which field.
func bindingDescription(e *echo.BindingError) string {
	switch e.Message {
	case "query param":
		return fmt.Sprintf("The query parameter %q is invalid.", e.Field)
	case "path value":
		return fmt.Sprintf("The path parameter %q is invalid.", e.Field)
	case "form value":
		return fmt.Sprintf("The form field %q is invalid.", e.Field)
	case "", http.StatusText(e.Code):
		return fmt.Sprintf("The value of %q is invalid.", e.Field)
	}
	return fmt.Sprintf("The value of %q is invalid: %s.", e.Field, e.Message)
}

func carriedHTTPError(he *echo.HTTPError) engine.Link {
	c := engine.Link{Carrier: true, Code: he.Code}
	if he.Message != http.StatusText(he.Code) {
		c.Description = he.Message
	}
	return c
}

func carriedProblem(pe *echo.ProblemError) engine.Link {
	code := pe.Status
	if code == 0 {
		code = http.StatusInternalServerError
	}
	return engine.Link{
		Carrier:     true,
		Code:        code,
		Description: pe.Detail,
		Problem:     &engine.ProblemMembers{Type: pe.Type, Title: pe.Title, Instance: pe.Instance},
	}
}
