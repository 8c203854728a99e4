// Package echoerr is a drop-in HTTPErrorHandler for Echo v4 with the error
// handling Flask users take for granted, and more:
//
//	e.HTTPErrorHandler = echoerr.New(
//		echoerr.OnCode(http.StatusNotFound, notFoundPage),
//		echoerr.OnType(func(c echo.Context, err *InvalidAPIUsage) error { ... }),
//		echoerr.OnAny(genericJSON),
//	)
//
// # The path of one error
//
// Each request's error is handled exactly once, even when middleware such
// as BodyDump or RequestLogger (HandleError: true) makes Echo call the
// handler twice. "Once" is per distinct error: a different error for a
// request whose response is settled (a route called c.Error(a) and then
// returned b) is logged and reported, not rendered. The error is normalized into an *Error (see FromError): the
// status comes from the outermost status carrier in the chain, walked as
// errors.As walks it, so a wrapped *echo.HTTPError keeps its status;
// context.Canceled while the request's own context is done means the client
// went away (499, nothing written, logged at Debug); context.Canceled while
// the client is connected comes from the route's own work (a cancelled
// sub-context, an errgroup) and is an unknown server error, 500;
// context.DeadlineExceeded is 503; anything else is 500.
//
// A handler is then chosen, most specific first:
//
//	rung  registered with           matches
//	1     OnError, OnType          a link of the chain, outermost first; at one link a value,
//	                               then the exact type, then interface types, then registration order
//	2     OnCode                   the status exactly
//	3     OnRange                  the status in the range; the narrowest range first
//	4     OnHTTPError              any error whose chain holds a status carrier
//	5     OnAny                    everything
//
// A handler that returns nil has handled the error; if it wrote nothing,
// the canonical error is rendered for it. One that writes its own response
// keeps it: the content headers were dropped and the safety headers set
// before it ran (see below), and the error is logged and reported with the
// status it wrote. One that calls c.Error(x) itself gets x rendered as if
// it had returned it; error handling never recurses. One that returns Pass
// declines, and the next candidate is tried. One that returns another error
// has that error rendered (it is not dispatched again); returning the error
// it was given means "render it the default way", also for an OnType
// handler, which was given one link: the route's whole error is rendered,
// with its status, and no handler failure is logged. A panic anywhere in
// error handling is recovered, logged and answered with a minimal 500.
//
// The response keeps headers set earlier (CORS), drops content headers
// (Content-Type, Content-Length, Content-Disposition, Content-Encoding,
// ETag, Last-Modified), adds the error's own headers, X-Content-Type-Options:
// nosniff and Cache-Control: no-store, and has no body for HEAD. A response
// that was already committed is not touched and no handler runs: the error
// is only logged and reported. An informational response (103 Early Hints)
// does not count: the error still gets a real response after it.
//
// Finally the error is logged once through log/slog (5xx at Error, 4xx at
// Info, a gone client at Debug) and given to the reporter once when it is
// reportable (5xx by default).
//
// # Scopes
//
// Group and Host declare scopes inside New, each with its own handlers,
// renderer, logger, reporter and debug setting. The innermost scope matching
// the request tries its whole ladder first, then its parent, up to the
// application; the nearest scope that sets a renderer (or logger, ...) wins.
// A scope is matched on the request's path and host, not on the route, so
// its handlers also see the router's 404 and 405 for URLs under its prefix.
// Of sibling scopes that match, one is chosen: a Host before a Group, and
// among Groups the one Echo's router would prefer (see Group).
//
// # Public text
//
// Clients see the Description only. Outside debug mode the text of an
// unknown error (err.Error()) never reaches them; in debug mode (WithDebug,
// or Echo's e.Debug by default) responses add the error chain, the stack
// when an error carries one, and the request line, with the values of
// Authorization, Cookie, Set-Cookie and Proxy-Authorization redacted.
//
// The string Message of an *echo.HTTPError is public text, with one
// exception: the 502s of Echo's Proxy middleware, whose messages ("remote
// <upstream> unreachable, could not forward: ...", "proxy raw, dial
// error=..., url=...") name the upstream's address and the dial error.
// They are recognized by those formats and get the default description
// (EchoJSON: the status text); the message still reaches the log as the
// error's text.
//
// Redaction hides secrets without defacing text. What is redacted: the
// secret headers' values, the credentials after an Authorization scheme
// (Basic ones decoded too, and the password alone), and the value of each
// cookie (of Set-Cookie, the value, not the attributes), each also as a
// message may quote it (unquoted, %q-escaped, query-escaped). A value of
// 8 bytes or more is replaced wherever it occurs; a shorter one only where
// it stands as a whole token, between spaces, quotes, = ; , & ? ! | and
// brackets or at the ends of the text (a trailing full stop or colon counts
// as an end), so that Cookie: x=1 blanks the "1" of "x=1" and of "retry 1
// of 3" but not of "HTTP/1.1", and lang=en not the "en" of "Authentication".
// Public text (the Description and string Extensions) is redacted the same
// way, in every mode, of values of 6 bytes or more: shorter cookie values
// (theme=dark) are not secrets, and public text is written for clients.
package echoerr

import (
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/labstack/echo/v4"
)

// New returns an echo.HTTPErrorHandler configured by opts:
//
//	e.HTTPErrorHandler = echoerr.New(opts...)
//
// Bad registrations (a status outside 200–999, a nil handler or target, an
// empty range, a malformed or duplicate scope) panic here, naming the option
// and where it was registered. The returned handler is immutable and safe
// for concurrent use.
func New(opts ...Option) echo.HTTPErrorHandler {
	h := &handler{root: newScope("New")}
	b := &builder{s: h.root}
	for _, o := range opts {
		if o == nil {
			b.fail(caller(), "New", "nil Option")
		}
		o(b)
	}
	if h.root.renderer == nil {
		h.root.renderer = defaultRenderer()
	}
	sealScopes(h.root, nil)
	h.root.checkReachable(b)
	return h.handle
}

// stateKey is the echo.Context store key of a request's requestState.
const stateKey = "github.com/echoerr/echoerr.state"

// requestState is what echoerr remembers of one request's error handling,
// in the echo.Context store (which Echo clears for each request). It also
// holds the values of the safety headers (see setSafetyHeaders), so that
// one allocation serves both.
type requestState struct {
	headerValues [4]string

	handled     error // the latest error handled: the same one again is no news
	active      bool  // handling is under way: a call now is a re-entry
	dispatching bool  // a handler is running: what it passes to c.Error is its result
	reentered   error // the first error a handler passed to c.Error
}

// handler is what New builds.
type handler struct {
	root *scope
}

// handle is the echo.HTTPErrorHandler.
//
// Exactly once: BodyDump and RequestLogger (HandleError) call c.Error and
// then return the error, so Echo calls the handler again for the same
// request, and that call must do nothing. A call with a different error
// (a route called c.Error(a) and then returned b) comes when the response
// is gone: b is logged and reported, not rendered.
//
// Never recursively: a handler that calls c.Error(x) itself re-enters
// handle; x becomes that handler's result, rendered as if it had returned
// it, and is not dispatched again. A re-entry from anywhere else in error
// handling (a renderer, the reporter) does nothing.
func (h *handler) handle(err error, c echo.Context) {
	st, _ := c.Get(stateKey).(*requestState)
	first := st == nil
	switch {
	case first:
		st = &requestState{active: true}
		c.Set(stateKey, st)
	case st.active:
		if st.dispatching && st.reentered == nil {
			st.reentered = err
		}
		return
	case sameError(err, st.handled):
		return
	default:
		st.active = true
	}
	s := h.root
	if len(s.kids) > 0 {
		s = s.resolve(c.Request())
	}
	var x exchange
	x.c, x.err, x.s, x.st = c, err, s, st
	if first {
		x.serve()
	} else {
		x.observeOnly()
	}
	st.handled, st.active = err, false
}

// exchange is the handling of one request's error.
type exchange struct {
	c   echo.Context
	err error  // as the route returned it
	s   *scope // the innermost matching scope
	st  *requestState

	// fe is what is (or would have been) sent. It is a value so that the
	// common case allocates no *Error: shared is the copy that code outside
	// echoerr (a custom renderer, the reporter) gets, made when first needed.
	fe        Error
	shared    *Error
	invalid   int      // a carrier's status outside 200–999, a server bug
	badStatus bool     // invalid is set (it may be 0)
	gone      bool     // the client went away (context.Canceled): nothing is sent
	trouble   *trouble // what went wrong in handling itself, rarely set
	observed  bool
}

func (x *exchange) serve() {
	defer x.recoverPanic()
	x.err = restoreMethodNotAllowed(x.c, x.err)
	res := x.c.Response()
	if res.Committed && res.Status >= 100 && res.Status < 200 && res.Status != http.StatusSwitchingProtocols {
		// An informational response (103 Early Hints) is not the response:
		// net/http sent it and waits for the final one, which Echo's
		// Response would refuse as already committed.
		res.Committed = false
	}
	// With rung-1 handlers the chain is walked once and kept for them.
	var v chainView
	var one [1]link
	if x.s.use.typed {
		if v = viewSingle(x.err, one[:]); !v.complete {
			var buf [16]link // zeroed only for longer chains: it is 384 bytes
			v = viewChain(x.err, buf[:0])
		}
	}
	facts := normalize(x.err, &v, &x.fe)
	x.invalid, x.badStatus, x.gone = facts.invalid, facts.bad, x.clientGone(facts, &x.fe)
	// A gone client and a committed response get no handlers: nothing can
	// be sent. They are still logged and reported.
	if x.gone || res.Committed {
		x.render()
		x.observe()
		return
	}
	if x.s.use.handlers {
		// A handler may write its own response: it gets clean headers.
		prepareHeader(res.Header(), x.st, nil, "", false)
		x.dispatch(facts.carrier && !facts.bad, &v)
		if res.Committed && res.Status != x.fe.Code {
			// It did: its status stands, for the log and the reporter too.
			x.fe.Code, x.fe.Name, x.fe.Description, x.shared = res.Status, "", "", nil
			fillDefaults(&x.fe)
		}
	}
	x.render()
	x.observe()
}

// observeOnly logs and reports an error that came after the request's
// response was settled by an earlier one: nothing is rendered, no handler
// runs.
func (x *exchange) observeOnly() {
	var v chainView
	facts := normalize(x.err, &v, &x.fe)
	x.invalid, x.badStatus, x.gone = facts.invalid, facts.bad, x.clientGone(facts, &x.fe)
	x.observe()
}

// dispatch offers the error to the handlers of the matching scopes,
// innermost scope first, and takes what the handler that took it returned.
func (x *exchange) dispatch(carrier bool, v *chainView) {
	var d dispatch // assigned field by field: copying a composite literal stalls on store forwarding
	d.c, d.err, d.code, d.carrier, d.st = x.c, x.err, x.fe.Code, carrier, x.st
	x.st.dispatching = true
	for i := len(x.s.chain) - 1; i >= 0 && !x.s.chain[i].ladder.run(&d, v); i-- {
	}
	x.st.dispatching = false
	// Returning what it was given (Flask's `return e`) means the default
	// rendering of the route's whole error, also for an OnType handler,
	// which was given one link of it.
	if !d.handled || d.result == nil || sameError(d.result, x.err) || sameError(d.result, d.given) {
		return
	}
	var fe Error
	f := normalize(d.result, &chainView{}, &fe)
	x.clientGone(f, &fe)
	if !f.carrier && !walkChain(d.result, func(l link) bool { return sameError(l.err, x.err) || sameError(l.err, d.given) }) {
		x.troubled().handlerErr = d.result // the handler failed: log both errors
	}
	if f.bad {
		x.invalid, x.badStatus = f.invalid, true
	}
	x.fe, x.shared = fe, nil
}

// clientGone reports whether the client went away: the error is
// context.Canceled (o.canceled) and the request's own context is done.
// context.Canceled while the client is still connected comes from the
// route's own work (a cancelled sub-context, an errgroup): a server
// failure, for which it turns fe, normalized with o, into a 500.
func (x *exchange) clientGone(o outcome, fe *Error) bool {
	if !o.canceled {
		return false
	}
	if x.c.Request().Context().Err() != nil {
		return true
	}
	fe.Code, fe.Name, fe.Description = http.StatusInternalServerError, "", ""
	fillDefaults(fe)
	return false
}

// public returns fe for code outside echoerr, which may keep it: a copy on
// the heap, made once.
func (x *exchange) public() *Error {
	if x.shared == nil {
		x.shared = new(Error)
		*x.shared = x.fe
	}
	return x.shared
}

// trouble is what went wrong while handling an error, all of it logged.
// It lives apart from exchange, which every error zeroes.
type trouble struct {
	handlerErr error // a handler's own failure, when it replaced err
	renderErr  error // the renderer's failure, answered with a minimal page
	panicVal   any   // a panic recovered during handling
	panicStack []byte
}

// troubled returns x.trouble, creating it.
func (x *exchange) troubled() *trouble {
	if x.trouble == nil {
		x.trouble = new(trouble)
	}
	return x.trouble
}

// sameError is a == b without the panic for non-comparable dynamic types.
func sameError(a, b error) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// render writes x.fe unless the response was committed (by the route, or by
// a handler that wrote its own response).
func (x *exchange) render() {
	res := x.c.Response()
	if res.Committed {
		return
	}
	if x.gone {
		res.Status = StatusClientClosedRequest // for access logs; nothing is sent
		return
	}
	if !x.fe.defaultText() {
		redactPublic(x.c, &x.fe)
	}
	if x.debugOn() {
		x.fe.debug = newDebugInfo(x.c, &x.fe)
	}
	r := x.s.use.renderer
	vary := false // a negotiated response needs Vary: Accept
	for {
		n, ok := r.(*negotiator)
		if !ok {
			break
		}
		r, vary = n.pick(x.c.Request()), true
	}
	// The built-in renderers are called statically, which lets fe stay on
	// the stack (they keep nothing of it); Content-Type goes into the
	// safety-header allocation when it is known here.
	var err error
	switch r := r.(type) {
	case *jsonRenderer:
		prepareHeader(res.Header(), x.st, &x.fe, echo.MIMEApplicationJSON, vary)
		err = r.render(x.c, &x.fe, true)
	case *htmlRenderer:
		prepareHeader(res.Header(), x.st, &x.fe, echo.MIMETextHTMLCharsetUTF8, vary)
		err = r.render(x.c, &x.fe, true)
	case *textRenderer:
		prepareHeader(res.Header(), x.st, &x.fe, "", vary)
		err = r.Render(x.c, &x.fe)
	default:
		prepareHeader(res.Header(), x.st, &x.fe, "", vary)
		err = r.Render(x.c, x.public())
	}
	if err != nil {
		x.troubled().renderErr = err
		writeMinimal(x.c, x.fe.Code)
	}
}

// recoverPanic turns a panic anywhere in error handling into a logged,
// minimal 500.
func (x *exchange) recoverPanic() {
	p := recover()
	if p == nil {
		return
	}
	t := x.troubled()
	t.panicVal, t.panicStack = p, debug.Stack()
	func() {
		defer func() { _ = recover() }() // a writer that panics too gets nothing more
		if !x.c.Response().Committed {
			prepareHeader(x.c.Response().Header(), x.st, nil, "", false)
			writeMinimal(x.c, http.StatusInternalServerError)
		}
	}()
	if x.fe.Code < 500 {
		x.fe, x.shared = Error{Code: http.StatusInternalServerError, Err: x.err}, nil
		fillDefaults(&x.fe)
	}
	if !x.observed {
		x.observe()
	}
}

func (x *exchange) logger() *slog.Logger {
	if l := x.s.use.logger; l != nil {
		return l
	}
	return slog.Default()
}

func (x *exchange) debugOn() bool {
	if d := x.s.use.debug; d != nil {
		return *d
	}
	return x.c.Echo() != nil && x.c.Echo().Debug
}
