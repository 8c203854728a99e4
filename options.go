package echoerr

import (
	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr/internal/engine"
)

// Option configures New, or a scope declared with Group or Host. The On*
// functions, the With* functions, Group and Host make one.
type Option struct{ o engine.Option }

// engineOptions returns the engine's view of opts.
func engineOptions(opts []Option) []engine.Option {
	eopts := make([]engine.Option, len(opts))
	for i, o := range opts {
		eopts[i] = o.o
	}
	return eopts
}

// WithRenderer sets the renderer for the scope it is given to. Without one,
// New negotiates by Accept between JSON, HTML, problem+json and text.
func WithRenderer(r Renderer) Option {
	if r == nil {
		return Option{engine.WithRenderer(nil)}
	}
	return Option{engine.WithRenderer(toEngine(r))}
}

// WithReporter sets a function called once for each reportable error (5xx
// by default, see WithReportFilter), after the response was written, for
// services such as Sentry. It runs on the request's goroutine: a slow
// reporter delays the end of the request, so it should hand work off (most
// error-tracking SDKs send asynchronously). A panic in it is recovered and
// logged.
func WithReporter(f func(c echo.Context, e *Error)) Option {
	if f == nil {
		return Option{engine.WithReporter(nil)}
	}
	return Option{engine.WithReporter(func(c any, e *Error) { f(c.(echo.Context), e) })}
}

// WithReportFilter decides which errors go to the reporter. The default
// reports 5xx errors only (never a gone client).
func WithReportFilter(f func(e *Error) bool) Option { return Option{engine.WithReportFilter(f)} }

// AppModules names modules whose code is the application's, besides the
// main module. The debug page shows the application's stack frames open,
// with their source, and folds the others; a frame is the application's
// when its package is in the main module (runtime/debug.ReadBuildInfo's
// Main.Path) or in a module named here. Name your own modules that the
// main module requires, such as a shared library of handlers. echoerr's,
// Echo's and the standard library's frames are never the application's,
// named or not. Under go test the main module is the module of the package
// tested, and the test binary records no other modules: every package of
// that module, and of the modules named here, is the application's.
//
// AppModules is given to New, not to a Group or Host: New panics then.
func AppModules(paths ...string) Option { return Option{engine.AppModules(paths...)} }

// Group declares a scope for requests whose path starts with prefix, segment
// by segment: "/api" covers /api, /api/ and /api/x, never /apix. The path is
// the one Echo routes on (echo.GetPath: the escaped RawPath when the URL has
// one) as it is when the error is handled, that is after Pre middleware such
// as RemoveTrailingSlash or Rewrite. A segment ":name" matches any one
// non-empty segment, as in Echo's e.Group("/users/:id"); wildcards are not
// supported, since a prefix already covers every path below it.
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
	return Option{engine.Group(prefix, engineOptions(opts)...)}
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
	return Option{engine.Host(host, engineOptions(opts)...)}
}
