package engine

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// Negotiate returns a Renderer that picks one of rs for each request by its
// Accept header, as RFC 9110 describes; see the faces' documentation. Every
// renderer must implement MediaTyper.
func Negotiate(rs ...Renderer) Renderer {
	if len(rs) == 0 {
		panic("echoerr: Negotiate: no renderers")
	}
	n := &negotiator{renderers: append([]Renderer(nil), rs...), offers: make([][]string, len(rs))}
	for i, r := range rs {
		if r == nil {
			panic(fmt.Sprintf("echoerr: Negotiate: renderer %d is nil", i))
		}
		mt, ok := r.(MediaTyper)
		if !ok {
			panic(fmt.Sprintf("echoerr: Negotiate: renderer %d (%T) does not declare its media types; "+
				"give it a MediaTypes() []string method (see httperr.MediaTyper)", i, r))
		}
		types := mt.MediaTypes()
		if len(types) == 0 {
			panic(fmt.Sprintf("echoerr: Negotiate: renderer %d (%T) declares no media types", i, r))
		}
		for _, t := range types {
			if !validMediaType(t) {
				panic(fmt.Sprintf("echoerr: Negotiate: renderer %d (%T) declares %q, not a type/subtype media type", i, r, t))
			}
		}
		n.offers[i] = append([]string(nil), types...)
	}
	return n
}

type negotiator struct {
	renderers []Renderer
	offers    [][]string // media types per renderer

	// picks holds negotiate's answer for the first maxPicks Accept values
	// of up to maxPickedAccept bytes: browsers and clients send a few
	// values, over and over. Chrome's costs negotiate some 580 ns, a third
	// of an HTML 404: BenchmarkFace/Render404/r=negotiate is 1.06x r=html
	// with picks, 1.8x without (issue 18 asks at most 1.2x). The load test
	// does not resolve it: 18.9-21.0 µs of server CPU per browser 404 with
	// it, 19.2-20.2 without (3 runs each, wrk -c64 -d6s, Echo v4,
	// 2026-12-08). Values past the first 64 are negotiated each time.
	picks  sync.Map // Accept value → renderer index
	npicks atomic.Int32
}

const (
	maxPicks        = 64
	maxPickedAccept = 512
)

// Render is used when a negotiator is nested in a renderer of the user's;
// the engine itself picks the renderer beforehand (see exchange.render).
func (n *negotiator) Render(x Ctx, e *Error) error {
	varyAccept(x.Header(), nil)
	return n.pick(x.Request()).Render(x, e)
}

// pick returns the renderer for the request's Accept header. The response
// must also get Vary: Accept (see varyAccept).
func (n *negotiator) pick(req *http.Request) Renderer {
	accept := acceptOf(req.Header)
	if i, ok := n.picks.Load(accept); ok {
		return n.renderers[i.(int)]
	}
	i := negotiate(accept, n.offers)
	if len(accept) <= maxPickedAccept && n.npicks.Load() < maxPicks && n.npicks.Add(1) <= maxPicks {
		n.picks.Store(accept, i)
	}
	return n.renderers[i]
}

// acceptOf returns the request's Accept list. A list field sent over
// several lines is one list (RFC 9110, section 5.3; invariant 7), so the
// lines are joined with commas. net/http files every spelling of the name
// under the canonical key.
func acceptOf(h http.Header) string {
	switch v := h["Accept"]; len(v) {
	case 0:
		return ""
	case 1:
		return v[0]
	default:
		return strings.Join(v, ",")
	}
}

// varyAccept adds Accept to h's Vary header unless it lists it (or "*")
// already. With an exchange, a new Vary header's value is kept in it (see
// exchange.setHeader).
func varyAccept(h http.Header, x *exchange) {
	vary := h["Vary"]
	switch {
	case len(vary) == 0 && x != nil:
		x.setHeader(h, 3, "Vary", "Accept")
	case !hasToken(vary, "Accept"):
		h["Vary"] = append(vary[:len(vary):len(vary)], "Accept")
	}
}

// MediaTypes returns the media types of all the renderers, in order.
func (n *negotiator) MediaTypes() []string {
	var out []string
	for _, types := range n.offers {
		out = append(out, types...)
	}
	return out
}

// hasToken reports whether one of the comma-separated values is token (or
// "*", which covers every token in Vary).
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for v != "" {
			var t string
			t, v, _ = strings.Cut(v, ",")
			t = strings.TrimSpace(t)
			if t == "*" || strings.EqualFold(t, token) {
				return true
			}
		}
	}
	return false
}

// validMediaType reports whether t is "type/subtype" with non-empty tokens
// (a subtype of "*" is allowed, a type of "*" only in "*/*").
func validMediaType(t string) bool {
	typ, sub, ok := strings.Cut(t, "/")
	return ok && isToken(typ) && isToken(sub) && (typ != "*" || sub == "*")
}

// negotiate returns the index of the offer group that best matches accept,
// an Accept header value: each group is the list of media types one renderer
// serves, and a group's quality is that of its best type. A type's quality
// is the q-value of the most specific media range matching it (the first
// such range when the list names it twice). The first group with the
// highest positive quality wins. When accept is empty, holds no valid media
// range, or accepts none of the offers, the result is 0.
//
// The work is one pass over accept, each element compared with every
// offered type: linear in the header's length, whatever it holds. It never
// panics, and allocates nothing for up to 16 offered types; malformed
// elements of the list are skipped.
func negotiate(accept string, offers [][]string) int {
	var small [16]offered
	types := small[:0]
	for i, group := range offers {
		for _, t := range group {
			typ, sub, _ := strings.Cut(t, "/")
			types = append(types, offered{group: i, typ: typ, sub: sub, spec: -1})
		}
	}
	for rest := accept; rest != ""; {
		var elem string
		elem, rest = cutElement(rest)
		r, ok := parseElement(elem)
		if !ok {
			continue
		}
		for k := range types {
			types[k].match(r)
		}
	}
	best, bestQ := 0, 0
	for _, t := range types {
		if t.q > bestQ {
			best, bestQ = t.group, t.q
		}
	}
	return best
}

// offered is one media type a renderer serves, and what the Accept list
// read so far says of it: the specificity and q-value of the most specific
// range matching it (spec -1: none yet).
type offered struct {
	group    int
	typ, sub string
	spec, q  int
}

// match takes r's q-value when r matches the type more specifically than
// the ranges before it.
func (t *offered) match(r mediaRange) {
	covers := r.spec == 0 || (strings.EqualFold(r.typ, t.typ) && (r.spec == 1 || strings.EqualFold(r.sub, t.sub)))
	if covers && r.spec > t.spec {
		t.spec, t.q = r.spec, r.q
	}
}

// mediaRange is one valid element of an Accept list: its media range, its
// q-value in thousandths, and the specificity it has when it matches (0 for
// */*, 1 for type/*, 2 for type/subtype with parameters, 3 without: our
// offers have no parameters, and parameters are not compared, so a range
// with them ranks below the same range without).
type mediaRange struct {
	typ, sub string
	q, spec  int
}

// parseElement parses one element of an Accept list. ok is false for a
// malformed element.
func parseElement(elem string) (r mediaRange, ok bool) {
	typ, sub, params, ok := parseRange(elem)
	if !ok {
		return mediaRange{}, false
	}
	q, nparams, ok := parseParams(params)
	if !ok {
		return mediaRange{}, false
	}
	r = mediaRange{typ: typ, sub: sub, q: q, spec: 3}
	switch {
	case typ == "*":
		r.spec = 0
	case sub == "*":
		r.spec = 1
	case nparams > 0:
		r.spec = 2
	}
	return r, true
}

// cutElement splits off the first comma-separated element of an Accept
// value. Commas inside quoted parameter values do not split.
func cutElement(s string) (elem, rest string) {
	return cutUnquoted(s, ',')
}

// cutUnquoted splits s at the first sep outside a quoted string (in which
// a backslash escapes the next character).
func cutUnquoted(s string, sep byte) (before, after string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && quoted:
			i++
		case c == sep && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// parseRange splits a media range, "type/subtype;params", into its parts.
// It reports false for anything else, "*/html" included.
func parseRange(elem string) (typ, sub, params string, ok bool) {
	mr, params, _ := strings.Cut(elem, ";")
	typ, sub, ok = strings.Cut(strings.TrimSpace(mr), "/")
	if !ok || !isToken(typ) || !isToken(sub) || (typ == "*" && sub != "*") {
		return "", "", "", false
	}
	return typ, sub, params, true
}

// parseParams reads the parameters of a media range: the q-value in
// thousandths (1000 when absent) and how many other media type parameters
// come before it (those after q are accept-extensions). It reports false
// for a malformed q-value; other malformed parameters are ignored. A ';'
// inside a quoted parameter value separates nothing: `level="1;q=0"` holds
// no q-value.
func parseParams(params string) (q, n int, ok bool) {
	q = 1000
	for params != "" {
		var p string
		p, params = cutUnquoted(params, ';')
		name, value, _ := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if name == "q" || name == "Q" {
			q, ok = parseQ(strings.TrimSpace(value))
			return q, n, ok
		}
		n++
	}
	return q, n, true
}

// parseQ parses a qvalue, "0" to "1" with up to three decimals (RFC 9110
// section 12.4.2), in thousandths. More decimals are tolerated and cut.
func parseQ(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	q := int(s[0]-'0') * 1000
	s = s[1:]
	if s == "" {
		return q, true
	}
	if s[0] != '.' {
		return 0, false
	}
	scale := 100
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	if q > 1000 {
		return 0, false
	}
	return q, true
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		default:
			switch c {
			case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
			default:
				return false
			}
		}
	}
	return true
}
