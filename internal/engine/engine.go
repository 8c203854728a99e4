package engine

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// Handler is what New builds: immutable, safe for concurrent use.
type Handler struct {
	face Face
	root *scope
}

// New builds a Handler for face from opts. Bad registrations panic here,
// naming the option and where it was registered.
func New(face Face, opts ...Option) *Handler {
	h := &Handler{face: face, root: &scope{name: "New"}}
	b := &builder{face: face, s: h.root}
	for _, o := range opts {
		if o == nil {
			fail(caller(), "New", "nil Option")
		}
		o(b)
	}
	if h.root.renderer == nil {
		h.root.renderer = defaultRenderer()
	}
	seal(h.root, settings{})
	h.root.checkReachable()
	return h
}

// seal finishes the scope tree once every option is applied: each scope
// sorts its rules and children, once (see scope.sort), and gets the
// settings a request in it uses.
func seal(s *scope, inherited settings) {
	s.sort()
	s.use = inherited
	s.use.inherit(s)
	for _, c := range s.kids {
		c.parent = s
		seal(c, s.use)
	}
}

// exchange is the handling of one request's error. It is the one
// allocation the engine makes for an error: the canonical error, the values
// of the headers it sets and the bookkeeping live in it.
type exchange struct {
	h       *Handler
	face    Face
	c       any
	err     error  // as the route returned it (after Reroute)
	entered error  // as Echo handed it over (before Reroute)
	s       *scope // the innermost scope matching the request
	info    RequestInfo

	fe      Error // what is (or would have been) sent
	facts   facts // what normalization found out
	gone    bool  // the client went away: nothing is sent
	aborted bool  // the error holds http.ErrAbortHandler: nothing is sent (see aborts)
	sent    bool  // Send wrote the response (see sentBy)

	// active is set while handlers run: a handler that calls c.Error
	// re-enters Handle, which records the error in reentered.
	active    bool
	reentered error
	busy      bool // a later error is being observed: calls now are ignored
	observed  bool

	secretMatcher *matcher // see secrets
	secretsRead   bool

	// What went wrong in the handling itself, all of it logged.
	handlerErr error   // a handler's own failure, which replaced the error
	renderErr  error   // the renderer's failure, answered with a minimal page
	panicVal   any     // a panic recovered during handling
	panicStack []byte  // and where it happened
	later      []error // errors of later calls for the request, observed

	headerSlots [4]string // the values of the headers the engine sets (see setHeader)
}

// serve is the path of the request's first error: the error as Echo's
// router would answer it, normalized; the scope; the handlers; the
// response; the log record and the report. A gone client and a committed
// response get no handlers and no response, since nothing can be sent;
// they are still logged and reported.
func (x *exchange) serve() {
	defer x.recoverPanic()
	x.info = x.face.Info(x.c)
	x.err = x.face.Reroute(x.c, x.err)
	x.fe, x.facts = normalize(x.face, x.err)
	req := x.face.Request(x.c)
	x.s = x.h.root
	if len(x.s.kids) > 0 {
		x.s = x.s.resolve(req, x.info.Path)
	}
	x.settle(req)
	if _, committed := x.face.Written(x.c); x.gone || committed {
		if x.gone {
			x.face.SetStatus(x.c, StatusClientClosedRequest)
		}
		x.observe()
		return
	}
	// The final response is still to come. After an informational status
	// (103 Early Hints) the face makes it writable again now, before any
	// handler runs: Echo v4's Response counts a 1xx as committed, and a
	// handler's own c.JSON(409) would be dropped, its body sent with a 200.
	x.face.Writer(x.c)
	x.prepareHeader()
	if x.s.use.handlers {
		x.dispatch()
	}
	x.render()
	x.observe()
}

// settle decides whether the client is gone: it is for an abort, and for
// context.Canceled when the client went away; a context.Canceled of the
// route's own work (a sub-context, an errgroup) is a server failure.
func (x *exchange) settle(req *http.Request) {
	switch {
	case x.aborted:
		x.gone = true
		x.recode(StatusClientClosedRequest)
	case x.facts.canceled && clientGone(req, x.face.Writer(x.c)):
		x.gone = true
	case x.facts.canceled:
		x.recode(http.StatusInternalServerError)
	}
}

// dispatch is one error's trip down the ladders.
type dispatch struct {
	x       *exchange
	err     error // as the route returned it
	code    int   // the canonical status
	carrier bool  // a status carrier set code (rung 4)

	result error // what the handler that took the error returned
	given  error // what that handler was given: err, or a link of it
}

// try runs one handler and reports whether it took the error: it returned
// something other than Pass, or re-entered the error handler.
func (d *dispatch) try(h HandlerFunc, given error) bool {
	return d.took(h(d.x.c, given), given)
}

func (d *dispatch) took(r, given error) bool {
	if d.x.reentered != nil {
		r = d.x.reentered
	}
	if r == Pass {
		return false
	}
	d.result, d.given = r, given
	return true
}

// dispatch offers the error to the handlers of the matching scopes,
// innermost scope first, and takes what the handler that took it did.
func (x *exchange) dispatch() {
	d := dispatch{x: x, err: x.err, code: x.fe.Code, carrier: x.facts.carrier && !x.facts.bad}
	x.active = true
	took := false
	for s := x.s; s != nil && !took; s = s.parent {
		took = s.run(&d)
	}
	x.active = false
	// nil: render the canonical error; the given error itself: render it
	// the default way (for an OnType handler, the route's whole error).
	plain := !took || d.result == nil || same(d.result, d.given) || same(d.result, x.err)
	if status, committed := x.face.Written(x.c); committed {
		// The handler's own response stands, and is what is observed.
		x.recode(status)
		if !plain {
			x.handlerErr = d.result
		}
		return
	}
	if plain {
		return
	}
	// A result without a status of its own that does not hold what the
	// handler was given is the handler's failure: both errors are logged.
	fe, f := normalize(x.face, d.result)
	if !f.carrier && !walk(d.result, func(link error) bool { return same(link, x.err) || same(link, d.given) }) {
		x.handlerErr = d.result
	}
	if f.bad {
		x.facts.bad, x.facts.invalid = true, f.invalid
	}
	x.fe = fe
}

// recoverPanic turns a panic anywhere in error handling into a logged,
// minimal 500.
func (x *exchange) recoverPanic() {
	p := recover()
	if p == nil {
		return
	}
	x.active = false
	if p == any(http.ErrAbortHandler) {
		x.abortNow()
	}
	x.panicVal, x.panicStack = p, debug.Stack()
	func() {
		defer func() { _ = recover() }() // a writer that panics too gets nothing more
		if _, committed := x.face.Written(x.c); !committed && !x.gone {
			x.prepareHeader()
			writeMinimal(Ctx{x.face, x.c, x}, http.StatusInternalServerError)
		}
	}()
	if x.fe.Code < 500 {
		x.fe = Error{Code: http.StatusInternalServerError, Err: x.err}
		fillDefaults(&x.fe)
	}
	x.observe()
}

// recode makes code the canonical error's status, with its name and default
// description.
func (x *exchange) recode(code int) {
	x.fe.Code, x.fe.Name, x.fe.Description = code, "", ""
	fillDefaults(&x.fe)
}

func (x *exchange) logger() *slog.Logger {
	if l := x.s.use.logger; l != nil {
		return l
	}
	if l := x.info.Logger; l != nil {
		return l
	}
	return slog.Default()
}

func (x *exchange) debugOn() bool {
	if d := x.s.use.debug; d != nil {
		return *d
	}
	return x.info.Debug
}

func (x *exchange) context() context.Context { return x.face.Request(x.c).Context() }

// header returns the response headers.
func (x *exchange) header() http.Header { return x.face.Writer(x.c).Header() }
