package echoerr

import (
	"bufio"
	"net"
	"net/http"

	"github.com/labstack/echo/v5"
)

// tracked is c's response writer while echoerr handles an error (and, under
// Middleware, while the route runs) when a middleware has put a writer of
// its own above Echo's Response. It records whether a final response went
// through it.
//
// Echo v5's Response counts itself committed only when the status reaches
// it, and a writer above it may hold the status back: Gzip with MinLength
// buffers the status and the first MinLength bytes until its handler
// returns. Read from Response alone, a page written into that buffer looked
// unwritten, so the engine took it for a renderer that wrote nothing and
// appended its minimal page to it: two documents in one body. What went
// through c's writer is what the application wrote, buffered or not.
type tracked struct {
	http.ResponseWriter
	status int // the final status written through it, or 0
}

// WriteHeader records a final status; an informational one (1xx other than
// 101) precedes the final response.
func (t *tracked) WriteHeader(code int) {
	if t.status == 0 && (code < 100 || code > 199 || code == http.StatusSwitchingProtocols) {
		t.status = code
	}
	t.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 of a body written without a status.
func (t *tracked) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.status = http.StatusOK
	}
	return t.ResponseWriter.Write(b)
}

// Flush commits the response, as Echo's Response.Flush does.
func (t *tracked) Flush() {
	if t.status == 0 {
		t.status = http.StatusOK
	}
	_ = http.NewResponseController(t.ResponseWriter).Flush()
}

// Hijack hands over the connection of the writer beneath.
func (t *tracked) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(t.ResponseWriter).Hijack()
}

// Unwrap returns the writer beneath, for echo.UnwrapResponse and
// http.ResponseController.
func (t *tracked) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// noRestore is track's restore when there was nothing to track.
func noRestore() {}

// track makes c's writer a tracked one, unless it is Echo's Response itself
// (which records its own status) or already tracked, and returns the
// function that puts the writer back. Callers defer it, so that a panic
// cannot leave c with the tracked writer.
func track(c *echo.Context) (restore func()) {
	rw := c.Response()
	if _, ok := rw.(*echo.Response); ok || trackedOf(rw) != nil {
		return noRestore
	}
	t := &tracked{ResponseWriter: rw}
	c.SetResponse(t)
	return func() {
		if c.Response() == t {
			c.SetResponse(rw)
		}
	}
}

// trackedOf returns the tracked writer in w's chain of writers, or nil.
func trackedOf(w http.ResponseWriter) *tracked {
	for {
		switch t := w.(type) {
		case *tracked:
			return t
		case *echo.Response:
			return nil
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return nil
		}
	}
}
