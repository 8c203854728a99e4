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

// onceKey keeps, among the request's values, the exchange of the request's
// first error: it makes error handling happen once per request.
const onceKey = "github.com/echoerr/echoerr.once"

// Handle handles err for the request of c, the face's Echo context.
//
// Exactly once: Echo's BodyDump and RequestLogger (HandleError) middleware
// call the handler and then return the error, so Echo calls it again for
// the same request; a handler may call c.Error itself. The request's first
// exchange is kept with the request (see onceKey) and decides what a later
// call does (see exchange.again).
//
// An error holding http.ErrAbortHandler is panicked again, as
// http.ErrAbortHandler, once the exchange is done (see aborts).
func (h *Handler) Handle(c any, err error) {
	abort := aborts(err)
	if first, ok := h.face.Value(c, onceKey).(*exchange); ok {
		first.again(err, abort)
	} else {
		x := &exchange{h: h, face: h.face, c: c, err: err, entered: err, aborted: abort}
		h.face.SetValue(c, onceKey, x)
		x.serve()
	}
	if abort {
		panic(http.ErrAbortHandler)
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

	trouble     *trouble  // what went wrong in handling itself, rarely set
	headerSlots [4]string // the values of the headers the engine sets (see setHeader)
}

// trouble is what went wrong while handling an error, all of it logged. It
// lives apart from the exchange, which every error allocates.
type trouble struct {
	handlerErr error   // a handler's own failure, which replaced the error
	renderErr  error   // the renderer's failure, answered with a minimal page
	panicVal   any     // a panic recovered during handling
	panicStack []byte  // and where it happened
	later      []error // errors of later calls for the request, observed
}

// troubled returns x.trouble, creating it.
func (x *exchange) troubled() *trouble {
	if x.trouble == nil {
		x.trouble = new(trouble)
	}
	return x.trouble
}

func (x *exchange) serve() {
	defer x.recoverPanic()
	x.err = x.face.Reroute(x.c, x.err)
	req := x.face.Request(x.c)
	x.s = x.h.root
	if len(x.s.kids) > 0 {
		x.s = x.s.resolve(req, x.face.Path(x.c))
	}
	x.facts = normalize(x.face, x.err, &x.fe)
	switch {
	case x.aborted:
		x.gone = true
		x.recode(StatusClientClosedRequest)
	case x.facts.canceled:
		// context.Canceled: the client went away, or the route's own work
		// was cancelled (a sub-context, an errgroup), a server failure.
		if clientGone(req, x.face.Writer(x.c)) {
			x.gone = true
		} else {
			x.recode(http.StatusInternalServerError)
		}
	}
	// A gone client and a committed response get no handlers: nothing can
	// be sent. They are still logged and reported.
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

// again handles a later call of the handler for a request whose first error
// this exchange handled: a handler's re-entry while handlers run (rendered
// by the first exchange as if the handler had returned it), a repeat of an
// error already handled (nothing; see repeat), or a different error after
// the response was sent (logged and reported, not rendered).
//
// A later error that aborts (see aborts) is not observed on its own: the
// abort is what happens to it.
func (x *exchange) again(err error, abort bool) {
	if x.active {
		if x.reentered == nil {
			x.reentered = err
		}
		return
	}
	if x.busy || abort || x.repeat(err) {
		return // busy: a reporter or log handler of a later error called c.Error
	}
	t := x.troubled()
	t.later = append(t.later, err)
	x.busy = true
	defer func() { x.busy = false }()
	y := &exchange{h: x.h, face: x.face, c: x.c, err: err, s: x.s}
	y.secretMatcher, y.secretsRead = x.secrets(), true // the same request's secrets
	defer y.recoverPanic()
	y.facts = normalize(y.face, err, &y.fe)
	y.observe()
}

// repeat is the rule of exactly once. A later call's err is a repeat, not a
// new error, when it and an error this request already had (the first one,
// the one a handler re-entered with, or a later one already observed) hold
// one another: the earlier error is a link of err's chain (middleware
// wrapped it and returned it, fmt.Errorf("…: %w", err) or errors.Join(…,
// err), after Echo's handler was called for it), or err is a link of the
// earlier one's (c.Error of a wrapper, then the error itself). Chains are
// walked as errors.Is walks them, bounded (see walk), and links compared
// with same, which never panics. A different error, even one sharing a
// cause (two wrappers of one sentinel), is not a repeat.
func (x *exchange) repeat(err error) bool {
	earlier := []error{x.err, x.entered}
	if x.reentered != nil {
		earlier = append(earlier, x.reentered)
	}
	if x.trouble != nil {
		earlier = append(earlier, x.trouble.later...)
	}
	for _, e := range earlier {
		if same(err, e) || holds(err, e) || holds(e, err) {
			return true
		}
	}
	return false
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
			x.troubled().handlerErr = d.result
		}
		return
	}
	if plain {
		return
	}
	// A result without a status of its own that does not hold what the
	// handler was given is the handler's failure: both errors are logged.
	var fe Error
	f := normalize(x.face, d.result, &fe)
	if !f.carrier && !walk(d.result, func(link error) bool { return same(link, x.err) || same(link, d.given) }) {
		x.troubled().handlerErr = d.result
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
	t := x.troubled()
	t.panicVal, t.panicStack = p, debug.Stack()
	func() {
		defer func() { _ = recover() }() // a writer that panics too gets nothing more
		if _, committed := x.face.Written(x.c); !committed && !x.gone {
			x.prepareHeader()
			writeMinimal(Ctx{x.face, x.c}, http.StatusInternalServerError)
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
	if l := x.face.Logger(x.c); l != nil {
		return l
	}
	return slog.Default()
}

func (x *exchange) debugOn() bool {
	if d := x.s.use.debug; d != nil {
		return *d
	}
	return x.face.Debug(x.c)
}

func (x *exchange) context() context.Context { return x.face.Request(x.c).Context() }
