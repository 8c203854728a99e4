// Package debugpage builds the detail that error responses carry in debug
// mode, an *httperr.DebugInfo: the request as the client sent it, the
// failing goroutine's stack parsed into frames, and the source lines
// around the application's frames. It also cuts a dump of several
// goroutines to the failing one (FirstGoroutine, OneGoroutine), for the
// engine's logs as for the page.
//
// It imports neither Echo nor the engine: the engine hands it the stack,
// the error chain as it lists it, and its redaction.
package debugpage

import (
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strings"

	"github.com/echoerr/echoerr/httperr"
)

// Input is what New builds the debug detail of.
type Input struct {
	// Request is the request that failed.
	Request *http.Request
	// Route is the path pattern of the route that matched, or "".
	Route string
	// Params are the route's path parameters, name and value, in the
	// route's order.
	Params [][2]string
	// Stack is the stack trace the error carries, or "".
	Stack string
	// Chain is the error chain as listed, already redacted.
	Chain []httperr.DebugChainLink
	// Handler, unless nil, returns for Context the entry of the function
	// of the route's handler (see handlerFrame), or 0.
	Handler func(c any) uintptr
	Context any
	// AppModules are the paths of modules whose frames are the
	// application's besides the main module's (see modules.isAppFrame).
	AppModules []string
	// Redact hides the secrets in a text shown: the request line, the URL,
	// the stack and the source lines.
	Redact func(string) string
	// RedactHeader returns the value shown of one line of the request
	// header name.
	RedactHeader func(name, value string) string
}

// New returns the debug detail of in: the request line, URL, headers, path
// parameters and query parameters, redacted; the stack, redacted and parsed
// into frames; the route's handler as a frame; the source lines around the
// first application frames and the handler (see readSources), redacted too;
// the route and the chain as given.
func New(in Input) *httperr.DebugInfo {
	req := in.Request
	d := &httperr.DebugInfo{
		Request: in.Redact(fmt.Sprintf("%s %s %s", req.Method, req.URL.RequestURI(), req.Proto)),
		Stack:   in.Redact(in.Stack),
		Method:  req.Method,
		URL:     in.Redact(scheme(req) + "://" + req.Host + req.URL.RequestURI()),
		Route:   in.Route,
		Chain:   in.Chain,
	}
	m := modulesNaming(in.AppModules)
	d.Frames = parseStack(d.Stack, m)
	readSources(d.Frames, in.Redact) // source lines may quote a secret too
	if h := handlerFrame(in.handler(), m); h != nil {
		frame := []httperr.DebugFrame{*h}
		readSources(frame, in.Redact)
		d.Handler = &frame[0]
	}
	d.Header = headerLines(req.Header, in.RedactHeader)
	for _, p := range in.Params {
		d.Params = append(d.Params, [2]string{p[0], in.Redact(p[1])})
	}
	d.Query = queryPairs(req.URL.RawQuery, in.Redact)
	return d
}

// queryPairs returns the parameters of a raw query as name/value pairs in
// its order, each decoded where it can be (as written where it cannot) and
// redacted.
func queryPairs(raw string, redact func(string) string) [][2]string {
	var pairs [][2]string
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		pairs = append(pairs, [2]string{redact(unescape(name)), redact(unescape(value))})
	}
	return pairs
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// handler returns the entry of the route's handler, or 0.
func (in Input) handler() uintptr {
	if in.Handler == nil {
		return 0
	}
	return in.Handler(in.Context)
}

// handlerFrame returns the location of the function whose entry is pc,
// the route's handler: its name, and the file and line where it is
// declared; nil when pc is 0 or no function's.
func handlerFrame(pc uintptr, m *modules) *httperr.DebugFrame {
	fn := runtime.FuncForPC(pc)
	if pc == 0 || fn == nil {
		return nil
	}
	f := httperr.DebugFrame{Function: fn.Name()}
	f.File, f.Line = fn.FileLine(fn.Entry())
	f.App = m.isAppFrame(f.Function, f.File)
	f.Package = framePackage(f, m.gorootSrc)
	return &f
}

// scheme is the request's scheme as the client used it: https for TLS or
// when a proxy says so (X-Forwarded-Proto), else http.
func scheme(r *http.Request) string {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return "https"
	}
	return "http"
}

// headerLines returns the lines of h as name/value pairs sorted by name,
// each value as redact returns it.
func headerLines(h http.Header, redact func(name, value string) string) [][2]string {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	var lines [][2]string
	for _, name := range names {
		for _, v := range h[name] {
			lines = append(lines, [2]string{name, redact(name, v)})
		}
	}
	return lines
}
