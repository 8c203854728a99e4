package engine

import (
	"net/http"
	"strconv"
	"strings"
)

// contentHeaders describe a body that the error response replaces, and how
// that body was framed.
var contentHeaders = [...]string{
	"Content-Type", "Content-Length", "Content-Disposition", "Content-Encoding", "Etag", "Last-Modified",
	"Transfer-Encoding",
}

// framingHeaders say how a body is framed and coded: Send's body is framed
// by net/http, and coded (if at all) by the writers beneath, such as Echo's
// Gzip, which set them as they write.
var framingHeaders = [...]string{"Content-Length", "Content-Encoding", "Transfer-Encoding"}

// dropHeaders deletes from h the headers named in names, in any letter
// case: an http.Header written as a map (h["content-length"]) keeps its key
// as it is, net/http's own lookups miss it, and it goes out as it is, beside
// the framing net/http computes.
func dropHeaders(h http.Header, names []string) {
	for k := range h {
		if oneOf(k, names) {
			delete(h, k)
		}
	}
}

// oneOf reports whether the header name k is one of names, in any letter
// case.
func oneOf(k string, names []string) bool {
	for _, n := range names {
		if len(k) == len(n) && strings.EqualFold(k, n) {
			return true
		}
	}
	return false
}

// prepareHeader readies the response headers before any handler runs, so
// that a page a handler writes itself gets the same treatment: headers set
// earlier (CORS, request id, the Allow Echo's router set) are kept, those
// that describe a body are dropped, and the safety headers are set.
func (x *exchange) prepareHeader() {
	h := x.header()
	if len(h) > 0 { // a routing 404 usually has no headers yet
		dropHeaders(h, contentHeaders[:])
	}
	x.setHeader(h, 0, "Cache-Control", "no-store")
	x.setHeader(h, 1, "X-Content-Type-Options", "nosniff")
}

// setHeader sets the header key (canonical) to value, held in slot i of
// the exchange: the values of the headers the engine sets live in the
// exchange's one allocation instead of one each. Each value is a full
// slice expression, so that appending to it copies rather than overwrites
// a neighbour. Kept for the allocations the load test sees: with the slots
// (and the Content-Type set from them, see contentTyper) a JSON 404 or 500
// costs the server 22 heap allocations per request on Echo v4 and 20 on
// v5; with one []string per header, 26 and 24. Measured 2026-12-08 with
// _loadtest's GET /_allocs around wrk -t1 -c16 -d2s.
func (x *exchange) setHeader(h http.Header, i int, key, value string) {
	x.headerSlots[i] = value
	h[key] = x.headerSlots[i : i+1 : i+1]
}

// addErrorHeaders adds the headers the error carries (Allow,
// WWW-Authenticate, Retry-After), replacing earlier values. The error
// cannot describe or frame the body: the renderer writes it.
func addErrorHeaders(h http.Header, e *Error) {
	for k, vs := range e.Header {
		if len(vs) > 0 && !oneOf(k, contentHeaders[:]) {
			h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
		}
	}
}

// Send writes an error response: the Content-Type header, the status, and
// the body unless the request is HEAD (which gets the Content-Length the
// body would have had instead). For other methods the framing is left to
// the writers beneath (Echo's Gzip, say) and to net/http, which sends a
// Content-Length for a body of up to 2 KB and a larger one chunked. A 204
// or 304, which cannot have a body, gets neither. Framing headers set
// before (Content-Length, Content-Encoding, Transfer-Encoding, in any
// letter case) are dropped: they described another body. It is the last
// step of every built-in Renderer.
func Send(x Ctx, code int, contentType string, body []byte) error {
	w := x.Face.Writer(x.C)
	h := w.Header()
	dropHeaders(h, framingHeaders[:])
	if contentType != "" {
		if v := h["Content-Type"]; len(v) != 1 || v[0] != contentType {
			h["Content-Type"] = []string{contentType}
		}
	}
	sentBy(x)
	switch {
	case code == http.StatusNoContent || code == http.StatusNotModified:
	case x.Face.Request(x.C).Method == http.MethodHead:
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
	default:
		w.WriteHeader(code)
		_, err := w.Write(body)
		return err
	}
	w.WriteHeader(code)
	return nil
}

// writeMinimal answers with a short plain-text page when rendering failed.
func writeMinimal(x Ctx, code int) {
	if written(x) {
		return
	}
	if !validStatus(code) {
		code = http.StatusInternalServerError
	}
	dropHeaders(x.Header(), contentHeaders[:]) // what a failed renderer set
	_ = Send(x, code, "text/plain; charset=UTF-8", []byte(strconv.Itoa(code)+" "+StatusName(code)+"\n"))
}
