package engine

import (
	"net/http"
	"time"
)

// goneWait is how long clientGone waits for net/http's word that the
// connection closed. net/http gives it right after it cancels the request's
// context, so a client that went away is told apart at once; only a context
// done for another reason waits this long, on an error path that is rare
// (a route cancelling its own work under a middleware that cancels the
// request's context on its way out).
const goneWait = 100 * time.Millisecond

// clientGone reports whether the client of req went away, for an error that
// is context.Canceled. The client is gone only on evidence; when the engine
// cannot tell, it is not, and the error is a server failure answered with a
// written 500: a 500 written to a client that left is harmless, an empty 200
// to one still waiting is not.
//
// A done request context alone is no evidence. A middleware that gives the
// request a context of its own and cancels it when the route returns (Echo's
// ContextTimeout, with defer cancel()) leaves it done before the error
// handler runs, client or no client; net/http cancels a request's context
// with the plain context.Canceled whatever the reason, so its cause tells
// nothing either. The evidence is net/http's close notification: when the
// connection's read fails, net/http cancels the request's context and then
// fires it. A writer that hides it (a wrapper without Unwrap,
// http.TimeoutHandler's) leaves a request served by net/http's server
// without evidence: not gone. A request served without net/http's server
// (httptest's recorder, an adapter) has no connection to ask: its done
// context is the only word there is, and it is taken.
func clientGone(req *http.Request, w http.ResponseWriter) bool {
	ctx := req.Context()
	if ctx.Err() == nil {
		return false
	}
	closed := closeNotification(w)
	if closed == nil {
		return ctx.Value(http.ServerContextKey) == nil
	}
	t := time.NewTimer(goneWait)
	defer t.Stop()
	select {
	case <-closed:
		return true
	case <-t.C:
		return false
	}
}

// closeNotification returns the close notification of w or of a writer it
// wraps (Unwrap() http.ResponseWriter, as Echo's Response and
// http.ResponseController follow), or nil.
func closeNotification(w http.ResponseWriter) (closed <-chan bool) {
	defer func() {
		if recover() != nil { // net/http panics once ServeHTTP returned
			closed = nil
		}
	}()
	for w != nil {
		//lint:ignore SA1019 the request's context is what cannot be trusted here
		if n, ok := w.(http.CloseNotifier); ok {
			return n.CloseNotify()
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}

// aborts reports whether err holds http.ErrAbortHandler in its chain: the
// route (or a handler) panicked with it and a recovering middleware turned
// the panic into an error, or returned it. net/http means it as "abort the
// response": it closes the connection and logs nothing. The engine does
// the same: nothing is written, no handler runs, the error is logged at
// Debug (status 499: no response) and not reported, and Handle panics
// again with http.ErrAbortHandler for net/http.
func aborts(err error) bool {
	return err != nil && walk(err, func(link error) bool { return is(link, http.ErrAbortHandler) })
}

// abortNow ends an exchange in which a handler or a renderer panicked with
// http.ErrAbortHandler: nothing more is written, the error is observed as
// an abort (see aborts), and the panic goes on to net/http.
func (x *exchange) abortNow() {
	x.gone, x.aborted = true, true
	x.recode(StatusClientClosedRequest)
	x.observe()
	panic(http.ErrAbortHandler)
}
