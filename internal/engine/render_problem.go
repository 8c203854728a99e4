package engine

import (
	"fmt"
	"strconv"
)

// MIMEApplicationProblemJSON is the media type of RFC 9457 problem details.
const MIMEApplicationProblemJSON = "application/problem+json"

// ProblemOption configures the problem+json renderer.
type ProblemOption func(*problemRenderer)

// ProblemType sets the "type" URI for problems with status code.
func ProblemType(code int, uri string) ProblemOption {
	at := caller()
	if !validStatus(code) {
		fail(at, fmt.Sprintf("ProblemType(%d)", code), "status code outside 200–999")
	}
	return func(r *problemRenderer) {
		if r.byCode == nil {
			r.byCode = map[int]string{}
		}
		r.byCode[code] = uri
	}
}

// ProblemTypeFor sets the "type" URI for problems whose error chain holds a
// link of type T, as errors.As decides.
func ProblemTypeFor[T error](uri string) ProblemOption {
	return func(r *problemRenderer) {
		r.byType = append(r.byType, typedURI{
			match: func(link error) bool { _, ok := link.(T); return ok },
			uri:   uri,
		})
	}
}

type typedURI struct {
	match func(error) bool
	uri   string
}

// Problem returns a Renderer that writes RFC 9457 problem details as
// application/problem+json.
func Problem(opts ...ProblemOption) Renderer {
	r := &problemRenderer{}
	for _, o := range opts {
		o(r)
	}
	return r
}

type problemRenderer struct {
	byCode map[int]string
	byType []typedURI
	pool   bufferPool
}

func (r *problemRenderer) contentType() string { return MIMEApplicationProblemJSON }

// MediaTypes returns the media types of the problem+json renderer.
func (r *problemRenderer) MediaTypes() []string {
	return []string{MIMEApplicationProblemJSON, MIMEApplicationJSON}
}

// typeURI returns the "type" member for e: an option's for a type in the
// chain, the error's own (Echo v5's ProblemError), an option's for the
// status, or about:blank.
func (r *problemRenderer) typeURI(x Ctx, e *Error) string {
	uri := ""
	if len(r.byType) > 0 {
		walk(e.Err, func(link error) bool {
			for _, t := range r.byType {
				if t.match(link) {
					uri = t.uri
					return true
				}
			}
			return false
		})
	}
	if uri != "" {
		return uri
	}
	if p := problemOf(x.Face, e.Err); p != nil && p.Type != "" {
		return p.Type
	}
	if uri, ok := r.byCode[e.Code]; ok {
		return uri
	}
	return "about:blank"
}

func (r *problemRenderer) Render(x Ctx, e *Error) error {
	title, detail := e.Name, e.Description
	instance := x.Request().URL.EscapedPath()
	if p := problemOf(x.Face, e.Err); p != nil && p.Instance != "" {
		instance = p.Instance
	}
	buf := r.pool.get()
	defer r.pool.put(buf)
	b := append(*buf, `{"type":`...)
	b = appendJSONString(b, r.typeURI(x, e))
	b = append(b, `,"title":`...)
	b = appendJSONString(b, title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.Code), 10)
	b = append(b, `,"detail":`...)
	b = appendJSONString(b, detail)
	b = append(b, `,"instance":`...)
	b = appendJSONString(b, instance)
	b = appendMembers(b, e, "type", "title", "status", "detail", "instance")
	b = append(b, '}', '\n')
	*buf = b
	return Send(x, e.Code, MIMEApplicationProblemJSON, b)
}
