package engine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"syscall"
)

// errWroteNothing is the failure of a renderer that returned nil without
// writing a response.
var errWroteNothing = errors.New("echoerr: the renderer returned without writing a response")

// Renderer writes an error response. The faces wrap it in their own
// Renderer interface, which takes their Echo's context.
type Renderer interface {
	Render(x Ctx, e *Error) error
}

// contentTyper is implemented by the built-in renderers: the exchange sets
// their Content-Type in its own allocation before they run (see setHeader).
type contentTyper interface {
	contentType() string
}

// render writes x.fe unless the response was committed (by the route, or by
// a handler that wrote its own response) or the client went away.
func (x *exchange) render() {
	if _, committed := x.face.Written(x.c); committed || x.gone {
		return
	}
	x.finishError()
	h := x.header()
	addErrorHeaders(h, &x.fe)
	r := x.pickRenderer(h)
	ctx := Ctx{x.face, x.c}
	err := r.Render(ctx, &x.fe)
	if err == nil && !written(ctx) {
		err = errWroteNothing // never an empty 200 for an error
	}
	switch {
	case err == nil:
	case x.refusedForGoneClient(err):
		// Nothing reached the client, which left: as for a gone client
		// found before rendering, 499, logged at Debug, not reported.
		x.gone = true
		x.recode(StatusClientClosedRequest)
		x.face.SetStatus(x.c, StatusClientClosedRequest)
	default:
		x.renderErr = err
		writeMinimal(ctx, x.fe.Code)
	}
}

// finishError readies x.fe for the renderer: the defaults of its status,
// secrets redacted from its public text, and the debug detail in debug
// mode (nil otherwise, whatever a handler put there).
func (x *exchange) finishError() {
	fillDefaults(&x.fe)
	if !defaultText(&x.fe) {
		redactPublic(x.secrets(), &x.fe)
	}
	x.fe.Debug = nil
	if x.debugOn() {
		x.fe.Debug = newDebugInfo(x)
	}
}

// pickRenderer returns the renderer for the request: the scope's, or the
// one its negotiators pick by Accept (which the response then varies by).
func (x *exchange) pickRenderer(h http.Header) Renderer {
	r := x.s.use.renderer
	for {
		n, ok := r.(*negotiator)
		if !ok {
			break
		}
		r = n.pick(x.face.Request(x.c))
		varyAccept(h, x)
	}
	if ct, ok := r.(contentTyper); ok {
		x.setHeader(h, 2, "Content-Type", ct.contentType())
	}
	return r
}

// refusedForGoneClient reports whether a renderer's failure is positive
// evidence that the client went away: the connection itself is closed or
// reset (EPIPE, ECONNRESET, net.ErrClosed), or a writer refused the write
// because the request's context was cancelled, and it was
// (http.TimeoutHandler's writer answers so once net/http cancels the
// request for a closed connection). Any other failure is a render failure.
func (x *exchange) refusedForGoneClient(err error) bool {
	canceled := x.context().Err() == context.Canceled
	return walk(err, func(link error) bool { // walk: bounded, whatever err is
		return is(link, syscall.EPIPE) || is(link, syscall.ECONNRESET) || is(link, net.ErrClosed) ||
			canceled && is(link, context.Canceled)
	})
}

// bufferPool recycles render buffers, so that rendering a body allocates
// nothing in the steady state.
//
// The pool and the string encoder (render_json.go) are kept for the
// allocations the load test sees: with both, a JSON 404 or 500 costs the
// server 20 heap allocations per request on Echo v4 and 18 on v5; with
// encoding/json and a buffer per render, 22 and 20 (Echo's own handler:
// 25 to 26; the floor: 22). Throughput moved within the noise. Measured
// 2026-12-08 with _loadtest's GET /_allocs around wrk -t1 -c16 -d2s.
type bufferPool struct{ p sync.Pool }

func (bp *bufferPool) get() *[]byte {
	if b, ok := bp.p.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 512)
	return &b
}

func (bp *bufferPool) put(b *[]byte) {
	if cap(*b) <= 64<<10 { // let the odd huge body go
		bp.p.Put(b)
	}
}

// defaultRenderer is the renderer of New without WithRenderer: JSON first,
// so that */* and a missing Accept header get JSON, then HTML pages for
// browsers, problem+json and text.
func defaultRenderer() Renderer {
	return Negotiate(JSON(), HTML(), Problem(), Text())
}
