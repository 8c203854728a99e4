package echoerr

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
)

// DebugInfo is the detail added to error responses in debug mode. Values of
// the Authorization, Cookie, Set-Cookie and Proxy-Authorization headers are
// redacted everywhere in it, including inside error messages.
type DebugInfo struct {
	// Chain lists the links of the error chain, outermost first.
	Chain []DebugLink `json:"chain"`
	// Stack is the stack trace carried by an error in the chain, if any.
	Stack string `json:"stack,omitempty"`
	// Request is the request line, such as "GET /users/7 HTTP/1.1".
	Request string `json:"request"`
	// Header holds the request headers, sorted by name, with secrets
	// redacted. JSON bodies leave it out; the HTML debug page shows it.
	Header [][2]string `json:"-"`

	// The fields below serve the HTML debug page; JSON bodies leave them
	// out (Stack and Request hold the same facts as text).

	// Frames is Stack parsed into frames, innermost call first; empty when
	// there is no stack or it is not in a format echoerr reads (see
	// FrameGroups and DebugFrame.Source).
	Frames []DebugFrame `json:"-"`
	// Method is the request method, such as "GET".
	Method string `json:"-"`
	// URL is the request's URL with scheme and host, as the client asked
	// for it, such as "http://example.com/users/7?tab=2", with secrets
	// redacted.
	URL string `json:"-"`
	// Route is the path pattern of the route that matched, such as
	// "/users/:id", or "" when none did.
	Route string `json:"-"`
}

// DebugLink is one link of an error chain.
type DebugLink struct {
	Type    string `json:"type"`    // the Go type, such as "*fs.PathError"
	Message string `json:"message"` // its Error() text
}

// redacted replaces secret values in debug output.
const redacted = "[redacted]"

// secretHeaders are never shown, in any mode.
var secretHeaders = [...]string{"Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization"}

func newDebugInfo(c echo.Context, fe *Error) *DebugInfo {
	req := c.Request()
	secrets := secretValues(req.Header, c.Response().Header())
	scrub := func(s string) string {
		for _, v := range secrets {
			s = strings.ReplaceAll(s, v, redacted)
		}
		return s
	}
	d := &DebugInfo{
		Request: scrub(fmt.Sprintf("%s %s %s", req.Method, req.URL.RequestURI(), req.Proto)),
		Stack:   scrub(stackOf(fe.Err)),
		Method:  req.Method,
		URL:     scrub(c.Scheme() + "://" + req.Host + req.URL.RequestURI()),
		Route:   c.Path(),
	}
	d.Frames = parseStack(d.Stack)
	for i := range d.Frames {
		d.Frames[i].redact = scrub // source lines may quote a secret too
	}
	walkErrors(fe.Err, func(link error) bool {
		if !hiddenLink(link) {
			d.Chain = append(d.Chain, DebugLink{Type: fmt.Sprintf("%T", link), Message: scrub(safeErrorText(link))})
		}
		return false
	})
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range req.Header[name] {
			if isSecretHeader(name) {
				v = redacted
			} else {
				v = scrub(v)
			}
			d.Header = append(d.Header, [2]string{name, v})
		}
	}
	return d
}

// minPublicSecret is the shortest secret value redacted from public text.
// Shorter cookie values (lang=en, theme=dark) are not secrets, and replacing
// them would garble ordinary words.
const minPublicSecret = 6

// redactPublic removes the values of the secret headers of the request and
// response from fe's public text (its Description and top-level string
// Extensions), in case an error message quoted them. It costs a few map
// lookups when no secret header is present.
func redactPublic(c echo.Context, fe *Error) {
	req, res := c.Request().Header, c.Response().Header()
	present := false
	for _, name := range secretHeaders {
		if len(req[name]) > 0 || len(res[name]) > 0 {
			present = true
			break
		}
	}
	if !present {
		return
	}
	secrets := secretValues(req, res)
	scrub := func(s string) string {
		for _, v := range secrets {
			if len(v) >= minPublicSecret {
				s = strings.ReplaceAll(s, v, redacted)
			}
		}
		return s
	}
	fe.Description = scrub(fe.Description)
	for k, v := range fe.Extensions {
		if s, ok := v.(string); ok {
			fe.Extensions[k] = scrub(s)
		}
	}
}

func isSecretHeader(name string) bool {
	for _, s := range secretHeaders {
		if strings.EqualFold(name, s) {
			return true
		}
	}
	return false
}

// secretValues collects the strings that must not appear in debug output:
// the secret headers' values, their tokens and cookie values, and Basic
// credentials decoded. Longest first, so that a value is replaced before a
// part of it.
func secretValues(hs ...http.Header) []string {
	var out []string
	add := func(v string) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	for _, h := range hs {
		for _, name := range secretHeaders {
			for _, v := range h.Values(name) {
				add(v)
				scheme, token, ok := strings.Cut(v, " ")
				if ok {
					add(token)
					if strings.EqualFold(scheme, "Basic") {
						if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(token)); err == nil {
							add(string(raw))
							_, pass, _ := strings.Cut(string(raw), ":")
							add(pass)
						}
					}
				}
				for _, part := range strings.Split(v, ";") {
					if _, val, ok := strings.Cut(part, "="); ok {
						add(val)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// stackOf returns the stack trace carried by the outermost link that has
// one: a Stack() []byte method (see RecoverStack), a Stack() string method,
// or a StackTrace() method of any result type (as github.com/pkg/errors
// has), printed with %+v. Of a dump of several goroutines it keeps the
// first, the failing one (see firstGoroutine).
func stackOf(err error) string {
	var st string
	walkErrors(err, func(link error) bool {
		defer func() { _ = recover() }()
		switch s := link.(type) {
		case interface{ Stack() []byte }:
			st = string(s.Stack())
		case interface{ Stack() string }:
			st = s.Stack()
		default:
			m := reflect.ValueOf(link).MethodByName("StackTrace")
			if m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
				st = fmt.Sprintf("%+v", m.Call(nil)[0].Interface())
			}
		}
		return st != ""
	})
	return firstGoroutine(strings.TrimSpace(st))
}

// RecoverStack is a LogErrorFunc for Echo's Recover middleware that keeps
// the panic's stack with the error, so that echoerr logs it and shows it in
// debug mode:
//
//	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
//		LogErrorFunc: echoerr.RecoverStack,
//	}))
//
// Echo's own printing of the stack is replaced by echoerr's log record.
//
// Of the stack Echo captured, echoerr keeps the panicking goroutine's: with
// Echo's default DisableStackAll: false, Echo dumps every goroutine, and
// the first is the one that panicked. Setting DisableStackAll: true gives
// the same record and spares Echo the dump. The error chain shows the
// panic's error, not this function's wrapper.
func RecoverStack(c echo.Context, err error, stack []byte) error {
	return &stackError{err: err, stack: stack}
}

// stackError is an error with the stack of the panic it came from.
type stackError struct {
	err   error
	stack []byte
}

func (e *stackError) Error() string { return e.err.Error() }
func (e *stackError) Unwrap() error { return e.err }
func (e *stackError) Stack() []byte { return e.stack }

// hiddenLink reports a link of the chain that is echoerr's own plumbing
// (RecoverStack's wrapper), which listings of the chain leave out: they
// start with what the user's code produced.
func hiddenLink(err error) bool {
	_, ok := err.(*stackError)
	return ok
}
