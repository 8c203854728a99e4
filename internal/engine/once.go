package engine

import "net/http"

// This file holds the rules of exactly once, in one place.
//
// Each request's error is handled once: normalized, dispatched, rendered,
// logged and reported by one exchange, the request's first, which the
// request keeps among its values (under KeepKey, through Face.Keep). Echo
// may call the handler again for the same request, and the exchange
// decides what a later call does (again):
//
//   - Re-entry: a handler that calls c.Error while handlers run re-enters
//     Handle; the error it gave is rendered by the first exchange as if the
//     handler had returned it, never dispatched again.
//   - Repeat: Echo's BodyDump and RequestLogger (HandleError) middleware call
//     the handler and then return the error, so Echo calls it again; a
//     middleware may wrap the error first. A later error that holds an
//     earlier one of the request, or is held by it, is a repeat: nothing
//     happens (repeat).
//   - Later error: a different error after the response was written is
//     logged and reported once, never rendered.
//   - An error holding http.ErrAbortHandler is not observed again on a later
//     call; Handle panics again with it, for net/http, every time.
//
// What Send wrote is noted in the exchange too (sentBy), so that nothing is
// written after it even when a writer hides the response from the face.

// KeepKey is the name under which a face keeps the exchange of the
// request's first error among the request's values (Face.Keep): it makes
// error handling happen once per request.
const KeepKey = "github.com/echoerr/echoerr.once"

// Handle handles err for the request of c, the face's Echo context.
//
// Exactly once: Echo's BodyDump and RequestLogger (HandleError) middleware
// call the handler and then return the error, so Echo calls it again for
// the same request; a handler may call c.Error itself. The request's first
// exchange is kept with the request (see KeepKey) and decides what a later
// call does (see exchange.again).
//
// An error holding http.ErrAbortHandler is panicked again, as
// http.ErrAbortHandler, once the exchange is done (see aborts).
func (h *Handler) Handle(c any, err error) {
	abort := aborts(err)
	x := &exchange{h: h, face: h.face, c: c, err: err, entered: err, aborted: abort}
	if first, _ := h.face.Keep(c, x).(*exchange); first != nil && first != x {
		first.again(err, abort)
	} else {
		x.serve()
	}
	if abort {
		panic(http.ErrAbortHandler)
	}
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
	x.later = append(x.later, err)
	x.busy = true
	defer func() { x.busy = false }()
	y := &exchange{h: x.h, face: x.face, c: x.c, err: err, s: x.s, info: x.info}
	y.secretMatcher, y.secretsRead = x.secrets(), true // the same request's secrets
	defer y.recoverPanic()
	y.fe, y.facts = normalize(y.face, err)
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
	earlier = append(earlier, x.later...)
	for _, e := range earlier {
		if same(err, e) || holds(err, e) || holds(e, err) {
			return true
		}
	}
	return false
}

// sentBy notes, in the exchange of x's request, that Send wrote its
// response. A face cannot see the response behind a writer that hides it
// (a wrapper without Unwrap, under Echo v5): Send's word is then what tells
// a written response from none, so that nothing is written after it.
func sentBy(x Ctx) {
	if ex := x.exchange(); ex != nil {
		ex.sent = true
	}
}

// written reports whether the response of x's request was written: the
// face says it is committed, or Send wrote it (see sentBy).
func written(x Ctx) bool {
	if _, committed := x.Face.Written(x.C); committed {
		return true
	}
	ex := x.exchange()
	return ex != nil && ex.sent
}
