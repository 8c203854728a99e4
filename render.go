package echoerr

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// Renderer writes an error response. Before Render is called the handler
// has already prepared the response headers (content headers removed, the
// error's own headers and the safety headers added); a Renderer sets its
// Content-Type and writes the status and body, normally with Send.
//
// A Renderer should build the whole body before writing anything, so that a
// failure never sends half a response: when Render returns an error and has
// written nothing, the handler answers with a minimal plain-text page.
// In debug mode e.Debug() is non-nil and a Renderer should show it.
type Renderer interface {
	Render(c echo.Context, e *Error) error
}

// Send writes an error response: the Content-Type header, the status, and
// the body unless the request is HEAD (which gets the Content-Length the
// body would have had instead; for other methods net/http computes it). A
// 204 or 304, which cannot have a body, gets neither body nor
// Content-Length. It is the last step of every built-in Renderer and meant
// for custom ones.
func Send(c echo.Context, code int, contentType string, body []byte) error {
	return send(c, code, contentType, body, false)
}

// send is Send; typeSet says that Content-Type is set already (by
// prepareHeader, which the handler gives the JSON renderer's type).
func send(c echo.Context, code int, contentType string, body []byte, typeSet bool) error {
	res := c.Response()
	h := res.Header()
	if !typeSet {
		h["Content-Type"] = []string{contentType}
	}
	switch {
	case code == http.StatusNoContent || code == http.StatusNotModified:
	case c.Request().Method == http.MethodHead:
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
	default:
		res.WriteHeader(code)
		_, err := res.Write(body)
		return err
	}
	res.WriteHeader(code)
	return nil
}

// contentHeaders describe a body that the error response replaces.
var contentHeaders = [...]string{
	"Content-Type", "Content-Length", "Content-Disposition", "Content-Encoding", "Etag", "Last-Modified",
}

// prepareHeader readies the response headers for an error body: headers
// set earlier (CORS, request id, Allow set by Echo's router) are kept, those
// that describe a body are dropped, and the error's own headers and the
// safety headers are set, with Content-Type when the renderer's is known
// and Vary: Accept when the renderer was negotiated.
func prepareHeader(h http.Header, st *requestState, fe *Error, contentType string, vary bool) {
	if len(h) > 0 {
		for _, k := range contentHeaders {
			delete(h, k)
		}
	}
	if fe != nil {
		for k, vs := range fe.Header {
			if len(vs) > 0 {
				h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
			}
		}
	}
	spare := setSafetyHeaders(h, st, contentType)
	if vary {
		varyAccept(h, spare)
	}
}

// setSafetyHeaders sets the safety headers X-Content-Type-Options: nosniff
// and Cache-Control: no-store, and Content-Type unless it is empty. Their
// values live in st, which is allocated anyway, so that they cost no
// allocation of their own (TestAllocationsPerError); nothing is shared
// between responses. It returns a spare slot of st's values, for a Vary
// value.
func setSafetyHeaders(h http.Header, st *requestState, contentType string) (spare []string) {
	v := st.headerValues[:]
	v[0], v[1], v[2] = "no-store", "nosniff", contentType
	h["Cache-Control"] = v[0:1:1]
	h["X-Content-Type-Options"] = v[1:2:2]
	if contentType != "" {
		h["Content-Type"] = v[2:3:3]
	}
	return v[3:3:4]
}

// writeMinimal answers with a short plain-text page when rendering failed.
func writeMinimal(c echo.Context, code int) {
	if c.Response().Committed {
		return
	}
	if !validStatus(code) {
		code = http.StatusInternalServerError
	}
	_ = Send(c, code, echo.MIMETextPlainCharsetUTF8, []byte(strconv.Itoa(code)+" "+StatusName(code)+"\n"))
}

// defaultRenderer is the renderer of New without WithRenderer: JSON first,
// so that */* and a missing Accept header get JSON, then HTML pages for
// browsers, problem+json and text.
func defaultRenderer() Renderer {
	return Negotiate(JSON(), HTML(), Problem(), Text())
}

// bufferPool recycles render buffers; a Renderer owns its pool.
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

// JSONOption configures the JSON renderer.
type JSONOption func(*jsonRenderer)

// JSONIndent makes the JSON renderer indent its output with indent.
func JSONIndent(indent string) JSONOption {
	return func(r *jsonRenderer) { r.indent = indent }
}

// JSON returns a Renderer that writes application/json:
//
//	{"code":404,"name":"Not Found","description":"..."}
//
// followed by the Extensions as extra top-level members in key order (one
// named like a canonical member in any letter case, "Code" say, is left
// out, as is one that cannot be encoded) and, in debug mode, a "debug"
// member.
func JSON(opts ...JSONOption) Renderer {
	r := &jsonRenderer{}
	for _, o := range opts {
		o(r)
	}
	if r.indent == "" {
		r.canned = cannedBodies(func(e *Error) []byte { return append(appendErrorJSON(nil, e), '\n') })
	}
	return r
}

type jsonRenderer struct {
	indent string
	pool   bufferPool
	canned *canned
}

// canned holds the bodies of errors that have nothing but their status's
// default name and description, which most errors are: rendering one is a
// lookup.
type canned [900]struct {
	name, description string
	body              []byte
}

// cannedBodies renders the default error of every status that has a name.
func cannedBodies(render func(*Error) []byte) *canned {
	var c canned
	for code := 100; code <= 999; code++ {
		if http.StatusText(code) == "" && code != StatusClientClosedRequest {
			continue
		}
		e := &Error{Code: code}
		fillDefaults(e)
		c[code-100].name, c[code-100].description, c[code-100].body = e.Name, e.Description, render(e)
	}
	return &c
}

// lookup returns the canned body for e, or nil.
func (c *canned) lookup(e *Error) []byte {
	if c == nil || e.Code < 100 || e.Code > 999 || len(e.Extensions) > 0 || e.debug != nil {
		return nil
	}
	if k := &c[e.Code-100]; k.body != nil && e.Name == k.name && e.Description == k.description {
		return k.body
	}
	return nil
}

func (r *jsonRenderer) Render(c echo.Context, e *Error) error {
	return r.render(c, e, false)
}

// render is Render; typeSet says that Content-Type is set already.
func (r *jsonRenderer) render(c echo.Context, e *Error, typeSet bool) error {
	if body := r.canned.lookup(e); body != nil {
		return send(c, e.Code, echo.MIMEApplicationJSON, body, typeSet)
	}
	buf := r.pool.get()
	defer r.pool.put(buf)
	b := appendErrorJSON(*buf, e)
	*buf = b // keep the grown slice for the pool
	if r.indent != "" {
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", r.indent); err != nil {
			return err
		}
		b = out.Bytes()
	}
	return send(c, e.Code, echo.MIMEApplicationJSON, append(b, '\n'), typeSet)
}

// appendErrorJSON appends the JSON object for e to b.
func appendErrorJSON(b []byte, e *Error) []byte {
	b = append(b, `{"code":`...)
	b = strconv.AppendInt(b, int64(e.Code), 10)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, e.Name)
	b = append(b, `,"description":`...)
	b = appendJSONString(b, e.Description)
	b = appendMembers(b, e, "code", "name", "description")
	return append(b, '}')
}

// appendMembers appends e's extensions, in key order and without the
// reserved keys, and the debug detail in debug mode, as JSON members. A key
// is reserved in any letter case: Go's encoding/json matches member names
// case-insensitively, so "Code" would shadow "code" for a Go client.
func appendMembers(b []byte, e *Error, reserved ...string) []byte {
	if len(e.Extensions) > 0 {
		keys := make([]string, 0, len(e.Extensions))
	next:
		for k := range e.Extensions {
			for _, r := range reserved {
				if strings.EqualFold(k, r) {
					continue next
				}
			}
			if e.debug != nil && strings.EqualFold(k, "debug") {
				continue
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, err := json.Marshal(e.Extensions[k])
			if err != nil {
				continue
			}
			b = append(b, ',')
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = append(b, v...)
		}
	}
	if e.debug != nil {
		if v, err := json.Marshal(e.debug); err == nil {
			b = append(b, `,"debug":`...)
			b = append(b, v...)
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes by default: HTML-sensitive characters, U+2028 and U+2029 are
// escaped, and invalid UTF-8 becomes U+FFFD. (Control characters other than
// \n, \r and \t are written as \u00XX, where encoding/json writes \b and \f
// for two of them: the same string either way.)
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
