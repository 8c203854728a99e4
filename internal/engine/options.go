package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"

	"github.com/echoerr/echoerr/internal/engine/debugpage"
)

// Pass is returned by a handler to decline an error: the next handler down
// the precedence ladder is tried, as if this one had not matched.
//
//lint:ignore ST1012 Pass is a signal, named like filepath.SkipDir; the name is part of the API.
var Pass = errors.New("echoerr: pass")

// Option configures New, or a scope declared with Group or Host.
type Option func(*builder)

// builder applies options to one scope.
type builder struct {
	face Face
	s    *scope
}

// fail panics with a message that says which option, where it was
// registered, and what is wrong with it.
func fail(at, option, why string) {
	panic(fmt.Sprintf("echoerr: %s (at %s): %s", option, at, why))
}

// ourPackages are the packages whose frames caller skips.
var ourPackages = [...]string{
	"github.com/echoerr/echoerr",
	"github.com/echoerr/echoerr/v5",
	"github.com/echoerr/echoerr/internal/engine",
}

// caller returns the file:line of the first caller outside echoerr's own
// packages: the code that registered an option.
func caller() string {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		if !ours(f.Function) {
			return fmt.Sprintf("%s:%d", filepath.Base(f.File), f.Line)
		}
		if !more {
			return "unknown location"
		}
	}
}

// ours reports whether the function named fn (as runtime.Frame names it,
// "path/pkg.Func.func1") belongs to one of ourPackages.
func ours(fn string) bool { return slices.Contains(ourPackages[:], debugpage.FuncPackage(fn)) }

// OnCode registers h for errors whose status is exactly code (rung 2).
func OnCode(code int, h HandlerFunc) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("OnCode(%d)", code)
		if !validStatus(code) {
			fail(at, name, "status code outside 200–999 (1xx are not errors)")
		}
		b.add(rule{rung: rungCode, lo: code, hi: code, h: h}, at, name)
	}
}

// OnRange registers h for errors whose status is in lo..hi inclusive
// (rung 3).
func OnRange(lo, hi int, h HandlerFunc) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("OnRange(%d, %d)", lo, hi)
		switch {
		case !validStatus(lo) || !validStatus(hi):
			fail(at, name, "status code outside 200–999 (1xx are not errors)")
		case lo > hi:
			fail(at, name, "empty range: lo is greater than hi")
		}
		b.add(rule{rung: rungRange, rank: hi - lo, lo: lo, hi: hi, h: h}, at, name)
	}
}

// OnError registers h for errors whose chain holds a link equal to target,
// as errors.Is decides (rung 1).
func OnError(target error, h HandlerFunc) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("OnError(%T)", target)
		switch {
		case target == nil:
			fail(at, "OnError(nil)", "nil target")
		case !reflect.TypeOf(target).Comparable():
			fail(at, name, "target is not comparable; register its type with OnType instead")
		}
		b.add(rule{rung: rungLink, typ: reflect.TypeOf(target), match: isTarget(target), h: h}, at, name)
	}
}

// OnType registers h for errors whose chain holds a link of type T, as
// errors.As decides (rung 1); h receives that link. When T is *Error, or
// carrier says T is one of the face's Echo's status carriers, it registers
// on rung 4, where h gets the outermost link of type T, and the error
// passes when there is none.
func OnType[T error](h func(c any, err T) error, carrier bool) Option {
	at := caller()
	return func(b *builder) {
		t := reflect.TypeFor[T]()
		name := fmt.Sprintf("OnType[%v]", t)
		if h == nil {
			fail(at, name, "nil handler")
		}
		isT := func(link error) bool { _, ok := link.(T); return ok }
		call := func(c any, link error) error { return h(c, link.(T)) }
		switch {
		case t == reflect.TypeFor[*Error]() || carrier:
			b.add(rule{rung: rungHTTP, h: func(c any, err error) error {
				var found error
				if !walk(err, func(link error) bool { found = link; return isT(link) }) {
					return Pass
				}
				return call(c, found)
			}}, at, name)
		case t.Kind() == reflect.Interface:
			b.add(rule{rung: rungLink, rank: 2, match: isT, h: call}, at, name)
		default:
			b.add(rule{rung: rungLink, rank: 1, typ: t, match: isT, h: call}, at, name)
		}
	}
}

// OnHTTPError registers h for errors whose chain holds a status carrier
// (rung 4). Statuses the engine derives (500, 499, 503) do not count.
func OnHTTPError(h HandlerFunc) Option {
	at := caller()
	return func(b *builder) { b.add(rule{rung: rungHTTP, h: h}, at, "OnHTTPError") }
}

// OnAny registers h for every error (rung 5).
func OnAny(h HandlerFunc) Option {
	at := caller()
	return func(b *builder) { b.add(rule{rung: rungAny, h: h}, at, "OnAny") }
}

// setting is an option that sets one of a scope's settings; it refuses a
// nil value (isNil) when it is applied, saying why.
func setting(name string, isNil bool, why string, set func(s *scope)) Option {
	at := caller()
	return func(b *builder) {
		if isNil {
			fail(at, name, why)
		}
		set(b.s)
	}
}

// WithRenderer sets the renderer of the scope it is given to.
func WithRenderer(r Renderer) Option {
	return setting("WithRenderer", r == nil, "nil renderer", func(s *scope) { s.renderer = r })
}

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option {
	return setting("WithLogger", l == nil, "nil logger; use slog.New(slog.DiscardHandler) to log nothing",
		func(s *scope) { s.logger = l })
}

// WithReporter sets the function called once per reportable error.
func WithReporter(f func(c any, e *Error)) Option {
	return setting("WithReporter", f == nil, "nil reporter", func(s *scope) { s.reporter = f })
}

// WithReportFilter decides which errors go to the reporter.
func WithReportFilter(f func(e *Error) bool) Option {
	return setting("WithReportFilter", f == nil, "nil filter", func(s *scope) { s.reportIf = f })
}

// WithDebug turns debug mode on or off.
func WithDebug(on bool) Option {
	return setting("WithDebug", false, "", func(s *scope) { s.debug = &on })
}

// AppModules names modules whose code is the application's besides the
// main module, for the debug page's frames; New only.
func AppModules(paths ...string) Option {
	at := caller()
	return func(b *builder) {
		if !b.s.isApp() {
			fail(at, "AppModules", "the application's modules are named directly in New, not inside "+b.s.name)
		}
		b.s.appModules = append(b.s.appModules, paths...)
	}
}

// Group declares a scope for requests whose path starts with prefix,
// segment by segment; see the faces' documentation.
func Group(prefix string, opts ...Option) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("Group(%q)", prefix)
		if why := validPrefix(prefix); why != "" {
			fail(at, name, why)
		}
		abs := b.s.prefix + prefix
		c := &scope{name: name, at: at, prefix: abs, pattern: patternOf(abs)}
		b.apply(c, at, opts)
	}
}

// Host declares a scope for requests to host; see the faces' documentation.
func Host(host string, opts ...Option) Option {
	at := caller()
	return func(b *builder) {
		name := fmt.Sprintf("Host(%q)", host)
		if why := validHost(host); why != "" {
			fail(at, name, why)
		}
		if !b.s.isApp() {
			fail(at, name, "Host scopes must be declared directly in New, not inside "+b.s.name)
		}
		c := &scope{name: name, at: at, host: canonicalHost(host)}
		b.apply(c, at, opts)
	}
}

// apply applies opts to the new scope c and links it below b's scope.
func (b *builder) apply(c *scope, at string, opts []Option) {
	if len(opts) == 0 {
		fail(at, c.name, "no options: the scope would change nothing")
	}
	cb := &builder{face: b.face, s: c}
	for _, o := range opts {
		if o == nil {
			fail(at, c.name, "nil Option")
		}
		o(cb)
	}
	b.s.addChild(c, at)
}
