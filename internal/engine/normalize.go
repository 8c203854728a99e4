package engine

import (
	"context"
	"net/http"
)

// facts is what normalization found out about the status, beyond the
// *Error it fills.
type facts struct {
	carrier  bool // a status carrier set the status
	bad      bool // the carrier's status was invalid (a server bug; see invalid)
	invalid  int  // that invalid status
	canceled bool // context.Canceled is in the chain (and no carrier)
	deadline bool // context.DeadlineExceeded is in the chain (and no carrier)
}

// status is the status the facts call for.
func (f facts) status(carried int) int {
	switch {
	case f.carrier && !f.bad:
		return carried
	case f.carrier:
		return http.StatusInternalServerError
	case f.canceled:
		return StatusClientClosedRequest
	case f.deadline:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// StatusOf returns the status the engine answers err with, for face; see
// the faces' documentation. A nil err is 200. It cannot see the request: a
// context.Canceled is 499 here, while the handler answers 500 when the
// client is in fact still there.
func StatusOf(face Face, err error) int {
	if err == nil {
		return http.StatusOK
	}
	fe, _ := normalize(face, err)
	return fe.Code
}

// FromError returns the canonical *Error for err; see the faces'
// documentation. It always returns a new *Error: Header and Extensions are
// copies, so a handler may modify the result.
func FromError(face Face, err error) *Error {
	fe, _ := normalize(face, err)
	return &fe
}

// normalize returns the canonical error for err, and what it found out.
//
// The status comes from the outermost status carrier in the chain. Public
// text, extensions and headers come from the outermost link that offers
// each, among the links up to and including the carrier: the links below
// the carrier are its causes, which are internal. A derived status (500 for
// an unknown error, 499, 503) shows no text from the chain. A link whose
// methods panic (a typed nil, say) ends the walk; what was found before it
// stands.
func normalize(face Face, err error) (Error, facts) {
	if err == nil {
		return withDefaults(Error{Code: http.StatusInternalServerError}), facts{}
	}
	// An *Error at the top is taken as it is, so that a handler's adjusted
	// error renders exactly as it was returned.
	if top, ok := err.(*Error); ok && top != nil {
		fe := *top
		fe.Header, fe.Extensions = top.Header.Clone(), cloneMap(top.Extensions)
		f := facts{carrier: true}
		if !validStatus(top.Code) {
			f.bad, f.invalid = true, top.Code
			fe.Code, fe.Name, fe.Description = http.StatusInternalServerError, "", ""
		}
		return withDefaults(fe), f
	}
	in := inspection{face: face}
	in.inspect(err)
	fe := Error{Code: in.facts.status(in.code), Err: err, Header: in.header.Clone(), Extensions: cloneMap(in.ext)}
	if in.facts.carrier && !in.facts.bad {
		fe.Description = in.desc
		if in.problem != nil && in.problem.Title != "" {
			fe.Name = in.problem.Title
		}
	}
	return withDefaults(fe), in.facts
}

// inspection is one walk of a chain for normalize.
type inspection struct {
	face  Face
	facts facts
	code  int // the carrier's status

	desc                          string
	ext                           map[string]any
	header                        http.Header
	problem                       *ProblemMembers
	haveDesc, haveExt, haveHeader bool
}

func (in *inspection) inspect(err error) {
	defer func() { _ = recover() }()
	walk(err, in.visit)
}

// visit takes what one link tells, and reports whether the walk can stop:
// the link is the status carrier.
func (in *inspection) visit(link error) bool {
	c, carrier := in.carried(link)
	in.takePublic(link, c)
	if carrier {
		in.code, in.problem = c.Code, c.Problem
		in.facts = facts{carrier: true, bad: !validStatus(c.Code), invalid: c.Code}
		return true
	}
	if is(link, context.Canceled) {
		in.facts.canceled = true
	} else if is(link, context.DeadlineExceeded) {
		in.facts.deadline = true
	}
	return false
}

// takePublic takes the public text, members and headers link offers, each
// unless an outer link offered it already: through a Describer, Extender or
// Headerer method first, then as the status carrier it is (c, zero for a
// link that carries no status).
func (in *inspection) takePublic(link error, c Link) {
	if !in.haveDesc {
		if d, ok := link.(Describer); ok {
			in.desc = d.Description()
		}
		if in.desc == "" {
			in.desc = c.Description
		}
		in.haveDesc = in.desc != ""
	}
	if !in.haveExt {
		if x, ok := link.(Extender); ok {
			in.ext = x.Extensions()
		}
		if in.ext == nil {
			in.ext = c.Extensions
		}
		in.haveExt = in.ext != nil
	}
	if !in.haveHeader {
		if h, ok := link.(Headerer); ok {
			in.header = h.Header()
		} else if e, ok := link.(*Error); ok && e != nil {
			in.header = e.Header
		}
		in.haveHeader = in.header != nil
	}
}

// carried reports what link carries when it is a status carrier: an
// *Error, one of the face's Echo errors, or any error with a StatusCode()
// int method.
func (in *inspection) carried(link error) (Link, bool) {
	if e, ok := link.(*Error); ok {
		if e == nil {
			return Link{}, false
		}
		return Link{Carrier: true, Code: e.Code, Description: ownDescription(e), Extensions: e.Extensions}, true
	}
	if l := in.face.Link(link); l.Carrier {
		return l, true
	}
	if sc, ok := link.(StatusCoder); ok {
		return Link{Carrier: true, Code: sc.StatusCode()}, true
	}
	return Link{}, false
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// problemOf returns the RFC 9457 members that the first link of err's chain
// holding any carries (Echo v5's ProblemError), or nil.
func problemOf(face Face, err error) (p *ProblemMembers) {
	walk(err, func(link error) bool {
		if l := face.Link(link); l.Carrier && l.Problem != nil {
			p = l.Problem
		}
		return p != nil
	})
	return p
}
