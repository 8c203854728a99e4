package engine

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/echoerr/echoerr/httperr"
	"github.com/echoerr/echoerr/internal/engine/debugpage"
)

// The debug detail's types are httperr's.
type (
	DebugInfo      = httperr.DebugInfo
	DebugChainLink = httperr.DebugChainLink
)

// redacted replaces secret values in debug output.
const redacted = "[redacted]"

// secretHeaders are never shown, in any mode.
var secretHeaders = [...]string{"Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization"}

// newDebugInfo returns the debug detail of x's error (see debugpage.New),
// with the path parameters the face reads and the chain listed here (see
// chainView.list): every text shown is redacted of the request's secret
// values, and the values of the secret headers are hidden whole.
func newDebugInfo(x *exchange) *DebugInfo {
	r := redactorOf(x.secrets(), 1)
	var chain []DebugChainLink
	newChainView(x.face, x.fe.Err).list(r, func(typ, text string) {
		chain = append(chain, DebugChainLink{Type: typ, Message: text})
	})
	return debugpage.New(debugpage.Input{
		Request:    x.face.Request(x.c),
		Route:      x.info.Route,
		Stack:      stackOf(x.face, x.fe.Err),
		Chain:      chain,
		Handler:    x.info.Handler,
		Params:     x.info.params(x.c),
		Context:    x.c,
		AppModules: x.h.root.appModules,
		Redact:     r.redact,
		RedactHeader: func(name, v string) string {
			if isSecretHeader(name) {
				return redacted
			}
			return r.redact(v)
		},
	})
}

// minPublicSecret is the shortest secret value redacted from public text
// (which clients get outside debug mode too). Shorter cookie values
// (lang=en, theme=dark) are not secrets, and public text is written for
// clients: it is not worth defacing for them.
const minPublicSecret = 6

// minSubstringSecret is the length from which a secret value is redacted
// wherever it occurs. A shorter value is redacted only where it stands as a
// whole token (see wholeToken): redacting lang=en must not blank the "en"
// of "Authentication", nor x=1 the digits of "HTTP/1.1". A value this long
// is a credential, not a word: it is hidden even inside a longer token, a
// file name say, at the cost of the odd defaced word.
const minSubstringSecret = 8

// redactPublic removes the secret header values secrets matches (see
// exchange.secrets) from fe's public text (its Description and top-level
// string Extensions), in case an error message quoted them.
func redactPublic(secrets *matcher, fe *Error) {
	if secrets == nil {
		return
	}
	scrub := redactorOf(secrets, minPublicSecret).redact
	fe.Description = scrub(fe.Description)
	if len(fe.Extensions) == 0 {
		return
	}
	ext := make(map[string]any, len(fe.Extensions)) // keys are shown too (HTML pages list them)
	for k, v := range fe.Extensions {
		if s, ok := v.(string); ok {
			v = scrub(s)
		}
		ext[scrub(k)] = v
	}
	fe.Extensions = ext
}

// redactor hides secret values in text, in one pass however many there
// are (see matcher): a value of minSubstringSecret bytes or more wherever
// it occurs, a shorter one (down to minLen bytes) where it stands as a
// whole token. Where occurrences overlap (one value inside or across
// another), their union is hidden. A nil *redactor hides nothing.
type redactor struct {
	m      *matcher
	minLen int
}

// newRedactor returns a redactor of secrets at least minLen bytes long, or
// nil when there are none.
func newRedactor(secrets []string, minLen int) *redactor {
	kept := make([]string, 0, len(secrets))
	for _, v := range secrets {
		if len(v) >= minLen {
			kept = append(kept, v)
		}
	}
	return redactorOf(newMatcher(kept), minLen)
}

// redactorOf returns a redactor of the secrets m matches that are at least
// minLen bytes long, or nil when m is nil. One matcher serves the public
// text, the debug detail and the log record of an exchange: a Cookie
// header of a thousand cookies makes a trie of some 100 000 nodes, worth
// building once.
func redactorOf(m *matcher, minLen int) *redactor {
	if m == nil {
		return nil
	}
	return &redactor{m: m, minLen: minLen}
}

// clip returns s redacted and cut to at most limit bytes, as the package
// function clip cuts, in work bounded by limit rather than by len(s): only
// the first limit bytes plus the longest secret are redacted, so that no
// secret straddles the cut unseen (a 1 MB error text listed 32 times
// costs 32 short scans, not 32 copies of it).
func (r *redactor) clip(s string, limit int) string {
	if r == nil || len(s) <= limit+r.m.longest {
		return clip(r.redact(s), limit)
	}
	head := s[:limit+r.m.longest]
	return clipNoting(r.redact(head), limit, len(s)-len(head))
}

// redact returns s with the secrets replaced by [redacted]. Its cost is
// linear in len(s): of the secrets ending at one position, the longest is
// taken unless it is short and not a whole token, and shorter ones are
// only looked at while they are short (fewer than minSubstringSecret).
func (r *redactor) redact(s string) string {
	if r == nil || s == "" {
		return s
	}
	spans := r.m.cover(s, func(s string, start, end int) verdict {
		switch n := end - start; {
		case n < r.minLen:
			return stop
		case n >= minSubstringSecret || wholeToken(s, start, end):
			return take
		}
		return skip
	})
	return replaceSpans(s, spans, redacted)
}

// wholeToken reports whether s[start:end], an occurrence of a secret
// value, stands as a whole token: a delimiter (see delimiter) or an end of
// s on either side, where the value itself does not begin or end with
// one. Dots and colons right after it count as delimiters when a delimiter
// or the end follows them, as a full stop ends a sentence ("the token
// e."); inside text they join ("1.1", "e.g.", "10:30"), and so do letters,
// digits, '/', '-', '_' and the rest: "HTTP/1.1" holds no whole token "1",
// "Content-Type" none "Type".
//
// The dots and colons read are at most a run per position, and only for
// occurrences shorter than minSubstringSecret that start a token: at most
// a few occurrences end in one run, so a scan stays linear.
func wholeToken(s string, start, end int) bool {
	if start > 0 && !delimiter(s[start]) && !delimiter(s[start-1]) {
		return false
	}
	if delimiter(s[end-1]) {
		return true
	}
	k := end
	for k < len(s) && (s[k] == '.' || s[k] == ':') {
		k++
	}
	return k == len(s) || delimiter(s[k])
}

// delimiter reports whether c separates tokens in text: white space and
// control characters, quotes, and the separators of header values, query
// strings and prose.
func delimiter(c byte) bool {
	return c <= ' ' || c == 0x7f || strings.IndexByte("\"'`,;=&?!()<>[]{}|\\", c) >= 0
}

func isSecretHeader(name string) bool { return secretHeader(name) != "" }

// secretHeader returns the canonical name of the secret header name is in
// any letter case, or "".
func secretHeader(name string) string {
	switch len(name) {
	case len("Cookie"), len("Set-Cookie"), len("Authorization"), len("Proxy-Authorization"):
	default:
		return "" // most names, at the cost of a length
	}
	for _, s := range secretHeaders {
		if strings.EqualFold(name, s) {
			return s
		}
	}
	return ""
}

// hasSecrets reports whether any of hs holds a secret header, under any
// spelling of its name.
func hasSecrets(hs ...http.Header) bool {
	for _, h := range hs {
		for name, vs := range h {
			if len(vs) > 0 && isSecretHeader(name) {
				return true
			}
		}
	}
	return false
}

// secretValues collects the strings that must not appear in debug output:
// the secret headers' whole values (each line of each, the name in any
// letter case); the credentials of Authorization and Proxy-Authorization
// (after the scheme; for Basic, decoded, and the password alone); the
// value of every cookie in Cookie and of the cookie (not its attributes) in
// Set-Cookie. Each is also collected as a message may quote it: without its
// quotes, escaped as %q escapes it, and escaped for a URL query. The cost is
// linear in the headers' size.
func secretValues(hs ...http.Header) []string {
	var s secrets
	for _, h := range hs {
		for name, vs := range h {
			canonical := secretHeader(name)
			if canonical == "" {
				continue
			}
			for _, v := range vs {
				s.header(canonical, v)
			}
		}
	}
	return s
}

// secrets is secretValues' collection.
type secrets []string

// header collects the secrets of one line of the secret header name.
func (s *secrets) header(name, v string) {
	s.add(v)
	switch name {
	case "Cookie":
		for pair := range strings.SplitSeq(v, ";") {
			s.cookie(pair)
		}
	case "Set-Cookie":
		pair, _, _ := strings.Cut(v, ";")
		s.cookie(pair)
	default: // Authorization, Proxy-Authorization
		scheme, credentials, ok := strings.Cut(strings.TrimSpace(v), " ")
		if !ok {
			return
		}
		s.add(credentials)
		if strings.EqualFold(scheme, "Basic") {
			if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(credentials)); err == nil {
				s.add(string(raw))
				_, pass, _ := strings.Cut(string(raw), ":")
				s.add(pass)
			}
		}
	}
}

// cookie collects the value of one name=value pair.
func (s *secrets) cookie(pair string) {
	if _, val, ok := strings.Cut(pair, "="); ok {
		s.add(val)
	}
}

// add collects v, trimmed, and the forms a message may quote it in.
func (s *secrets) add(v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	*s = append(*s, v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		*s = append(*s, v[1:len(v)-1])
	}
	if q := strconv.Quote(v); q[1:len(q)-1] != v {
		*s = append(*s, q[1:len(q)-1])
	}
	if q := url.QueryEscape(v); q != v {
		*s = append(*s, q)
	}
}

// stackOf returns the stack trace carried by the outermost link that has
// one: a recovered panic (see Recovered and Link.Stack), a Stack() []byte or
// Stack() string method, or a StackTrace() method of any result type (as
// github.com/pkg/errors has), printed with %+v. Of a dump of several
// goroutines it keeps the first, the failing one (see
// debugpage.FirstGoroutine): Echo's Recover records every goroutine by
// default. It is cut at MaxStackText bytes.
func stackOf(face Face, err error) string {
	var st string
	walk(err, func(link error) bool {
		defer func() { _ = recover() }()
		if stack, _ := panicOf(face, link); stack != nil {
			st = string(stack)
			return st != ""
		}
		switch s := link.(type) {
		case interface{ Stack() []byte }:
			st = string(s.Stack())
		case interface{ Stack() string }:
			st = s.Stack()
		case interface{ StackTrace() []uintptr }:
			st = framesText(s.StackTrace())
		default:
			m := reflect.ValueOf(link).MethodByName("StackTrace")
			if m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
				st = fmt.Sprintf("%+v", m.Call(nil)[0].Interface())
			}
		}
		return st != ""
	})
	return clip(debugpage.FirstGoroutine(strings.TrimSpace(st)), MaxStackText)
}

// panicOf returns the stack and the cause of a recovered panic's link, the
// engine's own (Recovered) or the face's Echo's; a nil stack for any other
// link.
func panicOf(face Face, link error) (stack []byte, cause error) {
	if s, ok := link.(*stackError); ok && s != nil {
		return s.stack, s.err
	}
	l := face.Link(link)
	return l.Stack, l.Cause
}

// errorText is the text of err for the log: a recovered panic's is its
// cause's, without the stack.
func errorText(face Face, err error) string {
	if stack, cause := panicOf(face, err); stack != nil && cause != nil {
		return "panic: " + ErrorText(cause)
	}
	return ErrorText(err)
}

// Recovered returns the error for a panic recovered with value p: p itself
// when it is an error, else p formatted, with the panicking goroutine's
// stack from the frame that panicked on, as program counters and as text
// (the recovering function and the runtime's panic frames say nothing
// about the bug, so they are left out). It must be called from the
// deferred function that recovered.
func Recovered(p any) error {
	err, ok := p.(error)
	if !ok {
		err = fmt.Errorf("%v", p)
	}
	stack, pcs := debug.Stack(), panicFrames()
	if len(pcs) == 0 { // not called while panicking: the whole stack
		return &stackError{err: err, stack: stack}
	}
	header, _, _ := strings.Cut(string(stack), "\n") // "goroutine 7 [running]:"
	return &stackError{err: err, stack: []byte(header + "\n" + framesText(pcs)), pcs: pcs}
}

// panicFrames returns the program counters of the calling goroutine from
// the frame that panicked on: the frames above runtime.gopanic (the
// recovering function, the deferred call) and the runtime's own below it
// (sigpanic, panicmem) are left out. Without a panic on the stack it
// returns nil.
func panicFrames() []uintptr {
	pcs := make([]uintptr, 64)
	pcs = pcs[:runtime.Callers(2, pcs)]
	for i := range pcs {
		// One program counter may stand for several frames (inlining):
		// each is looked at on its own, so i stays an index into pcs.
		if !callsAt(pcs[i], "runtime.gopanic") {
			continue
		}
		rest := pcs[i+1:]
		for len(rest) > 0 {
			fn := runtime.FuncForPC(rest[0] - 1)
			if fn == nil || !strings.HasPrefix(fn.Name(), "runtime.") {
				break
			}
			rest = rest[1:]
		}
		return rest
	}
	return nil
}

// callsAt reports whether one of the frames at program counter pc (more
// than one when calls were inlined there) is of function fn.
func callsAt(pc uintptr, fn string) bool {
	frames := runtime.CallersFrames([]uintptr{pc})
	for {
		f, more := frames.Next()
		if f.Function == fn {
			return true
		}
		if !more {
			return false
		}
	}
}

// framesText writes program counters as runtime.Stack writes a goroutine's
// frames (a function line, then a tab and "file:line"), the form the log,
// the debug page and StackOf read.
func framesText(pcs []uintptr) string {
	var b strings.Builder
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if f.Function != "" {
			fmt.Fprintf(&b, "%s(...)\n\t%s:%d\n", f.Function, f.File, f.Line)
		}
		if !more {
			return b.String()
		}
	}
}

// stackError is an error with the stack of the panic it came from.
type stackError struct {
	err   error
	stack []byte
	pcs   []uintptr
}

func (e *stackError) Error() string { return e.err.Error() }
func (e *stackError) Unwrap() error { return e.err }

// Stack returns the stack as text.
func (e *stackError) Stack() []byte { return e.stack }

// StackTrace returns the panic's frames as program counters, innermost
// first: the convention of github.com/pkg/errors, which error trackers
// (Sentry's SDK among them) read.
func (e *stackError) StackTrace() []uintptr { return e.pcs }

// StackOf returns the stack trace the outermost link of err's chain carries
// that has one, cut to the failing goroutine, or "": for reporters.
func StackOf(face Face, err error) string { return stackOf(face, err) }

// Redact returns s with the values of the request's and the response's
// secret headers replaced, as debug output shows them, and without the
// goroutines after the first of a stack dump of several (the text of an
// error wrapping Echo v5's PanicStackError holds one): for renderers of the
// faces that build debug text of their own (EchoJSON), and for reporters.
func Redact(x Ctx, s string) string {
	return redactorFor(x, 1).redact(oneGoroutine(s))
}

// RedactPublic returns s with the values of the request's and the
// response's secret headers replaced as public text has them (values of
// minPublicSecret bytes or more): for renderers of the faces that write a
// message of their own beside the canonical description (EchoJSON).
func RedactPublic(x Ctx, s string) string { return redactorFor(x, minPublicSecret).redact(s) }

// oneGoroutine is debugpage.OneGoroutine, by the name the engine's bounds
// use.
func oneGoroutine(s string) string { return debugpage.OneGoroutine(s) }

// redactorFor returns the redactor of x's request: during error handling
// (a renderer's, a reporter's call) it uses the exchange's matcher of the
// request's secrets (see exchange.secrets) instead of building one per
// call, since a Cookie header of thousands of cookies makes a matcher of
// megabytes.
func redactorFor(x Ctx, minLen int) *redactor {
	if ex := x.exchange(); ex != nil && ex.c == x.C {
		return redactorOf(ex.secrets(), minLen)
	}
	return newRedactor(secretValues(x.Request().Header, x.Header()), minLen)
}
