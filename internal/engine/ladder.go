package engine

import (
	"cmp"
	"reflect"
	"slices"
)

// HandlerFunc is a handler as the engine keeps it: c is the face's Echo
// context, err the error as the route returned it. The faces adapt their
// typed handlers to it.
type HandlerFunc func(c any, err error) error

// Rungs of the precedence ladder, in the order they are tried.
const (
	rungLink  = 1 + iota // OnError, OnType: a link of the chain
	rungCode             // OnCode: the status exactly
	rungRange            // OnRange: the status in a range
	rungHTTP             // OnHTTPError, OnType of a status carrier
	rungAny              // OnAny
)

// rule is one registered handler and what it takes.
//
// Precedence is data: New sorts a scope's rules once by the key (rung,
// rank), registration order breaking ties, and dispatch tries them in that
// order, the rules of rung 1 at each link of the chain in turn, outermost
// first; the first that does not return Pass takes the error. rank orders
// the rules of one rung: on rung 1, 0 for a value (OnError), 1 for an exact
// concrete type, 2 for an interface type; on rung 3, the width of the range
// (narrowest first); 0 elsewhere.
type rule struct {
	rung, rank int
	lo, hi     int                   // rungs 2 and 3: the statuses taken
	typ        reflect.Type          // rung 1: the target's type, or T; nil for an interface T
	match      func(link error) bool // rung 1: the link is the target, or a T
	h          HandlerFunc           // rung 1 types get the link, every other rule the route's error
}

// add adds r to b's scope, refusing a nil handler.
func (b *builder) add(r rule, at, name string) {
	if r.h == nil {
		fail(at, name, "nil handler")
	}
	b.s.rules = append(b.s.rules, r)
}

// sort puts s's rules in precedence order and its children in the order
// resolve tries them, and notes what rung 1 needs to see of a link.
func (s *scope) sort() {
	slices.SortStableFunc(s.rules, func(a, b rule) int {
		return cmp.Or(cmp.Compare(a.rung, b.rung), cmp.Compare(a.rank, b.rank))
	})
	s.linkRules = 0
	for _, r := range s.rules {
		if r.rung != rungLink {
			break
		}
		s.linkRules++
		if r.typ == nil {
			s.anyLink = true
		} else if !slices.Contains(s.linkTypes, r.typ) {
			s.linkTypes = append(s.linkTypes, r.typ)
		}
	}
	slices.SortStableFunc(s.kids, compareSiblings)
}

// run offers the error to s's rules in order, rung 1 once per link of the
// chain (outermost first), and reports whether one took it.
func (s *scope) run(d *dispatch) bool {
	if s.linkRules > 0 && walk(d.err, func(link error) bool { return s.runLink(d, link) }) {
		return true
	}
	for i := s.linkRules; i < len(s.rules); i++ {
		if r := &s.rules[i]; r.takes(d) && d.try(r.h, d.err) {
			return true
		}
	}
	return false
}

// takes reports whether a rule of rungs 2 to 5 takes the error.
func (r *rule) takes(d *dispatch) bool {
	switch r.rung {
	case rungHTTP:
		return d.carrier
	case rungAny:
		return true
	}
	return r.lo <= d.code && d.code <= r.hi
}

// runLink tries the rung-1 rules on one link. A link whose type no rule
// names, that has no Is method and meets no interface rule cannot match:
// it costs a look at a few types.
func (s *scope) runLink(d *dispatch, link error) bool {
	_, claims := link.(interface{ Is(error) bool })
	if !claims && !s.anyLink && !slices.Contains(s.linkTypes, reflect.TypeOf(link)) {
		return false
	}
	for i := range s.rules[:s.linkRules] {
		r, given := &s.rules[i], d.err
		if r.rank > 0 {
			given = link
		}
		if r.match(link) && d.try(r.h, given) {
			return true
		}
	}
	return false
}

// isTarget returns the rung-1 match of an OnError target: a link equal to
// it, or whose Is method claims it, as errors.Is decides for one link.
// Equality is tried only on a link of the target's type, with same, which
// never panics.
func isTarget(target error) func(link error) bool {
	t := reflect.TypeOf(target)
	return func(link error) bool {
		if reflect.TypeOf(link) == t && same(link, target) {
			return true
		}
		x, ok := link.(interface{ Is(error) bool })
		return ok && safeIs(x, target)
	}
}
