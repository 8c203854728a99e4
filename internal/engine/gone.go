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
// is context.Canceled.
//
// A done request context alone does not say so. A middleware that gives the
// request a context of its own and cancels it when the route returns (Echo's
// ContextTimeout, with defer cancel()) leaves it done before the error
// handler runs, client or no client. net/http tells the two apart: when the
// connection's read fails, it cancels the connection's context and then
// fires the response's close notification. A writer without one (httptest's
// recorder, a wrapper that does not unwrap) leaves the context's word.
func clientGone(req *http.Request, w http.ResponseWriter) bool {
	if req.Context().Err() == nil {
		return false
	}
	closed := closeNotification(w)
	if closed == nil {
		return true
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
