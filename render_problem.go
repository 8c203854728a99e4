package echoerr

import (
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"
)

// MIMEApplicationProblemJSON is the media type of RFC 9457 problem details.
const MIMEApplicationProblemJSON = "application/problem+json"

// ProblemOption configures the problem+json renderer.
type ProblemOption func(*problemRenderer)

// ProblemType sets the "type" URI for problems with status code. The default
// type is "about:blank".
func ProblemType(code int, uri string) ProblemOption {
	at := caller()
	return func(r *problemRenderer) {
		if !validCode(code) {
			panic(fmt.Sprintf("echoerr: ProblemType(%d) (at %s): status code outside 100–999", code, at))
		}
		if r.byCode == nil {
			r.byCode = map[int]string{}
		}
		r.byCode[code] = uri
	}
}

// ProblemTypeFor sets the "type" URI for problems whose error chain holds a
// link of type T, as errors.As decides. It takes precedence over
// ProblemType; when several match, the outermost link decides, then the
// order the options were given in.
func ProblemTypeFor[T error](uri string) ProblemOption {
	return func(r *problemRenderer) {
		r.byType = append(r.byType, typedURI{
			match: func(link error) bool { _, ok := link.(T); return ok },
			uri:   uri,
		})
	}
}

// ProblemTranslate sets a function that returns the title and detail to
// send for e, for instance translated by the request's Accept-Language. It
// receives e with Name and Description as they would be sent; an empty
// result keeps the original text.
func ProblemTranslate(f func(c echo.Context, e *Error) (title, detail string)) ProblemOption {
	at := caller()
	return func(r *problemRenderer) {
		if f == nil {
			panic(fmt.Sprintf("echoerr: ProblemTranslate (at %s): nil function", at))
		}
		r.translate = f
	}
}

type typedURI struct {
	match func(error) bool
	uri   string
}

// Problem returns a Renderer that writes RFC 9457 problem details as
// application/problem+json:
//
//	{"type":"about:blank","title":"Not Found","status":404,
//	 "detail":"The requested URL was not found on this server.","instance":"/users/7"}
//
// title is the Name, detail the Description, instance the request path.
// The Extensions follow as extension members in key order (they cannot
// replace the five standard members, in any letter case; one that cannot
// be encoded is left out), and in debug mode a "debug" member holds the
// error chain, the stack and the request line.
//
// In negotiation it serves application/problem+json and application/json.
func Problem(opts ...ProblemOption) Renderer {
	r := &problemRenderer{}
	for _, o := range opts {
		o(r)
	}
	return r
}

type problemRenderer struct {
	byCode    map[int]string
	byType    []typedURI
	translate func(c echo.Context, e *Error) (title, detail string)
	pool      bufferPool
}

// typeURI returns the "type" member for e.
func (r *problemRenderer) typeURI(e *Error) string {
	if len(r.byType) > 0 {
		uri := ""
		walkErrors(e.Err, func(link error) bool {
			for _, t := range r.byType {
				if t.match(link) {
					uri = t.uri
					return true
				}
			}
			return false
		})
		if uri != "" {
			return uri
		}
	}
	if uri, ok := r.byCode[e.Code]; ok {
		return uri
	}
	return "about:blank"
}

func (r *problemRenderer) Render(c echo.Context, e *Error) error {
	title, detail := e.Name, e.Description
	if r.translate != nil {
		t, d := r.translate(c, e)
		if t != "" {
			title = t
		}
		if d != "" {
			detail = d
		}
	}
	buf := r.pool.get()
	defer r.pool.put(buf)
	b := append(*buf, `{"type":`...)
	b = appendJSONString(b, r.typeURI(e))
	b = append(b, `,"title":`...)
	b = appendJSONString(b, title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.Code), 10)
	b = append(b, `,"detail":`...)
	b = appendJSONString(b, detail)
	b = append(b, `,"instance":`...)
	b = appendJSONString(b, c.Request().URL.EscapedPath())
	b = appendMembers(b, e, "type", "title", "status", "detail", "instance")
	b = append(b, '}', '\n')
	*buf = b
	return Send(c, e.Code, MIMEApplicationProblemJSON, b)
}

// MediaTypes returns the media types of the problem+json renderer.
func (r *problemRenderer) MediaTypes() []string {
	return []string{MIMEApplicationProblemJSON, echo.MIMEApplicationJSON}
}
