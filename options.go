package echoerr

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"runtime"

	"github.com/labstack/echo/v4"
)

// HandlerFunc handles an error. It receives the error exactly as the route
// returned it; FromError(err) gives the canonical view. It returns nil when
// it handled the error, Pass to decline, or an error to be rendered instead.
type HandlerFunc func(c echo.Context, err error) error

// Pass is returned by a handler to decline an error: the next handler down
// the precedence ladder is tried, as if this one had not matched. Like
// filepath.SkipDir, it is a signal rather than a failure, hence its name.
//
//lint:ignore ST1012 Pass is a signal, named like filepath.SkipDir; the name is part of the API.
var Pass = errors.New("echoerr: pass")

// Option configures New, or a scope declared with Group or Host.
type Option func(*builder)

// builder applies options to one scope.
type builder struct {
	s *scope
}

// fail panics with a message that says which option, where it was
// registered, and what is wrong with it.
func (b *builder) fail(at, option, why string) {
	panic(fmt.Sprintf("echoerr: %s (at %s): %s", option, at, why))
}

// caller returns the file:line of the code that called an option
// constructor, for messages about bad registrations.
func caller() string {
	_, file, line, ok := runtime.Caller(2)
	if !ok {
		return "unknown location"
	}
	return fmt.Sprintf("%s:%d", filepath.Base(file), line)
}

func newScope(name string) *scope {
	return &scope{name: name}
}

// sealScopes finishes the scope tree below s once every option is applied:
// each scope gets its chain and the settings a request in it uses.
func sealScopes(s *scope, parent *scope) {
	s.ladder.seal()
	if parent != nil {
		s.chain = append(append([]*scope(nil), parent.chain...), s)
		s.use = parent.use
	} else {
		s.chain = []*scope{s}
	}
	s.use.inherit(s)
	for _, c := range s.kids {
		sealScopes(c, s)
	}
}

func validCode(code int) bool { return code >= 100 && code <= 999 }

// badHandlerStatus says why no error can reach a handler with status code:
// error responses have a status in 200–999 (a 1xx is informational, and
// echoerr answers an error carrying one with 500).
const badHandlerStatus = "status code outside 200–999: no error response has it (1xx are informational)"

// OnCode registers h for errors whose status is exactly code (rung 2),
// which must be in 200–999: no error response has another.
func OnCode(code int, h HandlerFunc) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("OnCode(%d)", code)
		if !validStatus(code) {
			b.fail(at, name, badHandlerStatus)
		}
		if h == nil {
			b.fail(at, name, "nil handler")
		}
		l := &b.s.ladder
		if l.codes == nil {
			l.codes = map[int][]HandlerFunc{}
		}
		l.codes[code] = append(l.codes[code], h)
	}
}

// OnRange registers h for errors whose status is in lo..hi inclusive
// (rung 3), both in 200–999. When ranges overlap, the narrowest wins; equal
// widths go by registration order.
func OnRange(lo, hi int, h HandlerFunc) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("OnRange(%d, %d)", lo, hi)
		switch {
		case !validStatus(lo) || !validStatus(hi):
			b.fail(at, name, badHandlerStatus)
		case lo > hi:
			b.fail(at, name, "empty range: lo is greater than hi")
		case h == nil:
			b.fail(at, name, "nil handler")
		}
		b.s.ladder.ranges = append(b.s.ladder.ranges, rangeHandler{lo, hi, h})
	}
}

// OnError registers h for errors whose chain holds a link equal to target,
// as errors.Is decides (rung 1). target must be comparable; sentinels made
// with errors.New are.
func OnError(target error, h HandlerFunc) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("OnError(%T)", target)
		switch {
		case target == nil:
			b.fail(at, "OnError(nil)", "nil target")
		case !reflect.TypeOf(target).Comparable():
			b.fail(at, name, "target is not comparable; register its type with OnType instead")
		case h == nil:
			b.fail(at, name, "nil handler")
		}
		l := &b.s.ladder
		if l.values == nil {
			l.values = map[error][]HandlerFunc{}
		}
		if _, seen := l.values[target]; !seen {
			l.isTargets = append(l.isTargets, target)
		}
		l.values[target] = append(l.values[target], h)
		l.entry(reflect.TypeOf(target)).values = true
	}
}

// OnType registers h for errors whose chain holds a link of type T, as
// errors.As decides (rung 1); h receives that link. An exact concrete type
// is tried before interface types at the same link.
//
// *echo.HTTPError and *Error are status carriers rather than types:
// OnType[*echo.HTTPError] registers on rung 4, like OnHTTPError, and runs
// when the chain holds one.
func OnType[T error](h func(c echo.Context, err T) error) Option {
	at := caller()
	return func(b *builder) {
		t := reflect.TypeFor[T]()
		name := fmt.Sprintf("OnType[%v]", t)
		if h == nil {
			b.fail(at, name, "nil handler")
		}
		l := &b.s.ladder
		if t == reflect.TypeFor[*echo.HTTPError]() || t == reflect.TypeFor[*Error]() {
			l.http = append(l.http, func(c echo.Context, err error) error {
				var target T
				found := walkErrors(err, func(link error) bool {
					var ok bool
					target, ok = link.(T)
					return ok
				})
				if !found {
					return Pass
				}
				return h(c, target)
			})
			return
		}
		call := func(c echo.Context, link error) error { return h(c, link.(T)) }
		if t.Kind() == reflect.Interface {
			l.ifaces = append(l.ifaces, typedHandler{
				typ:   t,
				match: func(link error) bool { _, ok := link.(T); return ok },
				call:  call,
			})
			return
		}
		e := l.entry(t)
		e.exact = append(e.exact, call)
	}
}

// OnHTTPError registers h for errors whose chain holds a status carrier: an
// *echo.HTTPError, an *Error, or an error with a StatusCode() int method
// (rung 4, Flask's HTTPException handler). Statuses echoerr derives itself
// (500 for unknown errors, 499, 503) do not count.
func OnHTTPError(h HandlerFunc) Option {
	at := caller()
	return func(b *builder) {
		if h == nil {
			b.fail(at, "OnHTTPError", "nil handler")
		}
		b.s.ladder.http = append(b.s.ladder.http, h)
	}
}

// OnAny registers h for every error (rung 5, Flask's Exception handler).
func OnAny(h HandlerFunc) Option {
	at := caller()
	return func(b *builder) {
		if h == nil {
			b.fail(at, "OnAny", "nil handler")
		}
		b.s.ladder.any = append(b.s.ladder.any, h)
	}
}

// WithRenderer sets the renderer for the scope it is given to. Without one,
// New negotiates by Accept between JSON, HTML, problem+json and text.
func WithRenderer(r Renderer) Option {
	at := caller()
	return func(b *builder) {
		if r == nil {
			b.fail(at, "WithRenderer", "nil renderer")
		}
		b.s.renderer = r
	}
}

// WithLogger sets the logger. Without one, slog.Default() is used, as it is
// at the time of each request. To log nothing, pass
// slog.New(slog.DiscardHandler).
func WithLogger(l *slog.Logger) Option {
	at := caller()
	return func(b *builder) {
		if l == nil {
			b.fail(at, "WithLogger", "nil logger; use slog.New(slog.DiscardHandler) to log nothing")
		}
		b.s.logger = l
	}
}

// WithReporter sets a function called once for each reportable error (5xx
// by default, see WithReportFilter), after the response was written, for
// services such as Sentry. It runs on the request's goroutine: a slow
// reporter delays the end of the request, so it should hand work off (most
// error-tracking SDKs send asynchronously). A panic in it is recovered and
// logged.
func WithReporter(f func(c echo.Context, e *Error)) Option {
	at := caller()
	return func(b *builder) {
		if f == nil {
			b.fail(at, "WithReporter", "nil reporter")
		}
		b.s.reporter = f
	}
}

// WithReportFilter decides which errors go to the reporter. The default
// reports 5xx errors only (never a gone client).
func WithReportFilter(f func(e *Error) bool) Option {
	at := caller()
	return func(b *builder) {
		if f == nil {
			b.fail(at, "WithReportFilter", "nil filter")
		}
		b.s.reportIf = f
	}
}

// WithDebug turns debug mode on or off. Without it, debug mode follows
// Echo's e.Debug. In debug mode responses show the error chain, the stack
// when an error carries one, and the request line.
func WithDebug(on bool) Option {
	return func(b *builder) {
		b.s.debug = &on
	}
}

// Group declares a scope for requests whose path starts with prefix, segment
// by segment: "/api" covers /api, /api/ and /api/x, never /apix. The path is
// the one Echo routes on (echo.GetPath: the escaped RawPath when the URL has
// one) as it is when the error is handled, that is after Pre middleware such
// as RemoveTrailingSlash or Rewrite. A segment ":name" matches any one
// segment, as in Echo's e.Group("/users/:id"), which routes /users//profile
// into the group with an empty id (an empty last segment, /users/, is not
// routed there); wildcards are not supported, since a prefix already covers
// every path below it.
//
// opts are any options New takes, nested Groups included; a nested Group's
// prefix is relative to its parent's, as with Echo's g.Group. The scope's
// handlers are tried before its parent's, also for unknown URLs and wrong
// methods below the prefix (the router's 404 and 405).
//
// Sibling Groups do not nest: of the siblings that cover a path, only the
// one Echo's router would prefer is used. At the first segment where two
// differ a literal beats a parameter; otherwise the longer prefix wins. For
// /api/v1 to fall back to /api's handlers, declare Group("/api",
// Group("/v1", ...)).
//
// New panics on a prefix that is empty, malformed or declared twice, on a
// Group without options, and on a Group that can never be chosen because a
// sibling of its parent covers all its paths.
func Group(prefix string, opts ...Option) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("Group(%q)", prefix)
		if why := validPrefix(prefix); why != "" {
			b.fail(at, name, why)
		}
		abs := b.s.prefix + prefix
		c := &scope{name: name, at: at, prefix: abs, segs: b.s.segs + countSegments(prefix), pattern: patternOf(abs)}
		applyScope(b, c, at, opts)
	}
}

// Host declares a scope for requests to host: the Host header without its
// port and trailing dot, compared case-insensitively (an internationalized
// name is written in its ASCII form, as it arrives; an IPv6 address in
// brackets, "[::1]"). A leading "*." matches any subdomain: "*.example.com"
// covers a.example.com and a.b.example.com, never example.com itself. An
// exact host beats a wildcard, and a longer wildcard a shorter one.
//
// Host scopes are declared directly in New, not inside another scope; they
// may contain Groups, which then apply to that host only. When a Host scope
// matches, it is used instead of the application's Groups (as
// net/http.ServeMux prefers patterns with a host); its parent is the
// application. New panics on a malformed host, a host declared twice and a
// Host without options.
func Host(host string, opts ...Option) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("Host(%q)", host)
		if why := validHost(host); why != "" {
			b.fail(at, name, why)
		}
		if !b.s.isApp() {
			b.fail(at, name, "Host scopes must be declared directly in New, not inside "+b.s.name)
		}
		c := &scope{name: name, at: at, isHost: true, host: canonicalHost(host)}
		applyScope(b, c, at, opts)
	}
}

// applyScope applies opts to the new scope c and links it below b's scope.
func applyScope(b *builder, c *scope, at string, opts []Option) {
	if len(opts) == 0 {
		b.fail(at, c.name, "no options: the scope would change nothing")
	}
	cb := &builder{s: c}
	for _, o := range opts {
		if o == nil {
			b.fail(at, c.name, "nil Option")
		}
		o(cb)
	}
	b.s.addChild(c, b, at)
}

func countSegments(p string) int {
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			n++
		}
	}
	return n
}
