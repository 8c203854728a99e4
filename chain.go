package echoerr

import (
	"context"
	"net/http"
	"reflect"
	"sync"

	"github.com/labstack/echo/v4"
)

// maxChainLinks bounds every walk of an error chain, so that a cyclic Unwrap
// or a pathological errors.Join tree costs bounded time. Links past the bound
// are not seen: a status carrier deeper than this is ignored.
const maxChainLinks = 1024

// walkChain calls visit for each link of err in the order errors.As uses
// (pre-order, depth first, through Unwrap() error and Unwrap() []error),
// outermost first, until visit returns true or maxChainLinks links were seen.
// It reports whether visit stopped the walk.
func walkChain(err error, visit func(error) bool) bool {
	n := 0
	return walkFrom(err, visit, &n)
}

func walkFrom(err error, visit func(error) bool, n *int) bool {
	for err != nil && *n < maxChainLinks {
		*n++
		if visit(err) {
			return true
		}
		many, next := unwrap(err)
		if many == nil {
			err = next
			continue
		}
		for _, e := range many {
			if walkFrom(e, visit, n) {
				return true
			}
		}
		return false
	}
	return false
}

// unwrap returns what link wraps: one error or several. A link whose Unwrap
// panics (a typed nil, such as a nil *echo.HTTPError) wraps nothing, so that
// every walk, including the one that logs the chain, survives it.
func unwrap(link error) (many []error, next error) {
	defer func() {
		if recover() != nil {
			many, next = nil, nil
		}
	}()
	switch u := link.(type) {
	case interface{ Unwrap() error }:
		return nil, u.Unwrap()
	case interface{ Unwrap() []error }:
		return u.Unwrap(), nil
	}
	return nil, nil
}

// chainFacts is what one walk of a chain finds out for normalization.
type chainFacts struct {
	code     int  // the outermost carrier's status, as it carried it
	carrier  bool // a status carrier was found
	invalid  int  // the carrier's status when it is outside the valid range
	bad      bool // the carrier's status is outside the valid range (invalid holds it, maybe 0)
	canceled bool // context.Canceled is in the chain (and no carrier)
	deadline bool // context.DeadlineExceeded is in the chain (and no carrier)

	// Public information from the links up to and including the carrier:
	// links below the carrier are its causes, which are internal.
	desc   string
	ext    map[string]any
	header http.Header
}

// status is the status the facts call for.
func (f *chainFacts) status() int {
	switch {
	case f.carrier && !f.bad:
		return f.code
	case f.carrier:
		return http.StatusInternalServerError
	case f.canceled:
		return StatusClientClosedRequest
	case f.deadline:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// inspect walks err once. With public set it also gathers the public
// description, extensions and headers. A link whose methods panic (a typed
// nil, say) ends the walk; what was found before it stands.
func inspect(err error, public bool) (f chainFacts) {
	defer func() { _ = recover() }()
	var haveDesc, haveExt, haveHeader bool
	walkChain(err, func(link error) bool {
		if public {
			if !haveDesc {
				f.desc, haveDesc = publicDescription(link)
			}
			if !haveExt {
				f.ext, haveExt = linkExtensions(link)
			}
			if !haveHeader {
				f.header, haveHeader = linkHeader(link)
			}
		}
		if code, ok := carrierStatus(link); ok {
			f.code, f.carrier = code, true
			if !validStatus(code) {
				f.invalid, f.bad = code, true
			}
			return true
		}
		if isContextErr(link, context.Canceled) {
			f.canceled = true
		} else if isContextErr(link, context.DeadlineExceeded) {
			f.deadline = true
		}
		return false
	})
	if f.carrier {
		f.canceled, f.deadline = false, false
	}
	return f
}

// isContextErr is errors.Is for one link and a comparable target.
func isContextErr(link, target error) bool {
	if link == target { // target's type is comparable: this cannot panic
		return true
	}
	if x, ok := link.(interface{ Is(error) bool }); ok {
		return x.Is(target)
	}
	return false
}

// carrierStatus reports the status a single link carries, if it is a status
// carrier. An *echo.HTTPError holding another one in Internal defers to it,
// as Echo's default handler does.
func carrierStatus(link error) (int, bool) {
	switch e := link.(type) {
	case *echo.HTTPError:
		if e == nil {
			return 0, false
		}
		return innerHTTPError(e).Code, true
	case *Error:
		if e == nil {
			return 0, false
		}
		return e.Code, true
	case statusCoder:
		return e.StatusCode(), true
	}
	return 0, false
}

// innerHTTPError returns the *echo.HTTPError held in he.Internal, or he.
func innerHTTPError(he *echo.HTTPError) *echo.HTTPError {
	if inner, ok := he.Internal.(*echo.HTTPError); ok && inner != nil {
		return inner
	}
	return he
}

// publicDescription returns the public text one link offers, if any.
func publicDescription(link error) (string, bool) {
	switch e := link.(type) {
	case *echo.HTTPError:
		if e == nil {
			return "", false
		}
		he := innerHTTPError(e)
		if m, ok := he.Message.(string); ok && m != "" && m != http.StatusText(he.Code) {
			return m, true
		}
	case *Error:
		if e != nil && e.Description != "" {
			return e.Description, true
		}
	case Describer:
		if d := e.Description(); d != "" {
			return d, true
		}
	}
	return "", false
}

// linkExtensions returns the extra public members one link offers. A
// Message of an *echo.HTTPError that is neither a string nor an error (a
// map or struct, which Echo would have rendered as the body) is offered as
// the member "message".
func linkExtensions(link error) (map[string]any, bool) {
	switch e := link.(type) {
	case *echo.HTTPError:
		if e == nil {
			return nil, false
		}
		switch innerHTTPError(e).Message.(type) {
		case nil, string, error:
			return nil, false
		}
		return map[string]any{"message": innerHTTPError(e).Message}, true
	case *Error:
		if e != nil && e.Extensions != nil {
			return e.Extensions, true
		}
	case Extender:
		if x := e.Extensions(); x != nil {
			return x, true
		}
	}
	return nil, false
}

// linkHeader returns the response headers one link offers.
func linkHeader(link error) (http.Header, bool) {
	switch e := link.(type) {
	case *Error:
		if e != nil && e.Header != nil {
			return e.Header, true
		}
	case Headerer:
		if h := e.Header(); h != nil {
			return h, true
		}
	}
	return nil, false
}

// typedHandler is a handler registered for an error type with OnType.
type typedHandler struct {
	typ   reflect.Type
	match func(link error) bool
	call  func(c echo.Context, link error) error
}

// ladder holds one scope's handlers by rung. It is built by New and never
// changed afterwards, except for ifaceCache, which is safe for concurrent use.
type ladder struct {
	values    map[error][]HandlerFunc        // rung 1: OnError, by target value
	isTargets []error                        // rung 1: the same targets, in order, for links with an Is method
	exact     map[reflect.Type][]HandlerFunc // rung 1: OnType with a concrete type
	ifaces    []typedHandler                 // rung 1: OnType with an interface type
	codes     map[int][]HandlerFunc          // rung 2: OnCode
	ranges    []rangeHandler                 // rung 3: OnRange, as registered
	byCode    [][]HandlerFunc                // rung 3: per status-100, narrowest range first
	http      []HandlerFunc                  // rung 4: OnHTTPError and OnType[carrier]
	any       []HandlerFunc                  // rung 5: OnAny

	ifaceCache sync.Map // reflect.Type → []int: which ifaces a concrete type implements
}

type rangeHandler struct {
	lo, hi int
	h      HandlerFunc
}

func (l *ladder) empty() bool {
	return len(l.values) == 0 && len(l.exact) == 0 && len(l.ifaces) == 0 && len(l.codes) == 0 &&
		len(l.ranges) == 0 && len(l.http) == 0 && len(l.any) == 0
}

// seal precomputes lookups once all handlers are registered.
func (l *ladder) seal() {
	if len(l.ranges) == 0 {
		return
	}
	l.byCode = make([][]HandlerFunc, 900)
	for code := 100; code <= 999; code++ {
		var hs []rangeHandler
		for _, r := range l.ranges {
			if r.lo <= code && code <= r.hi {
				hs = append(hs, r)
			}
		}
		// Narrowest first; a stable insertion sort keeps registration order on ties.
		for i := 1; i < len(hs); i++ {
			for j := i; j > 0 && hs[j].hi-hs[j].lo < hs[j-1].hi-hs[j-1].lo; j-- {
				hs[j], hs[j-1] = hs[j-1], hs[j]
			}
		}
		for _, r := range hs {
			l.byCode[code-100] = append(l.byCode[code-100], r.h)
		}
	}
}

// dispatch is one error's trip down the ladders.
type dispatch struct {
	c       echo.Context
	err     error // as the route returned it
	code    int   // the canonical status
	carrier bool  // whether a status carrier set code

	result  error // what the handler that took the error returned
	handled bool  // a handler took the error (returned something other than Pass)
}

// try runs one handler and reports whether it took the error.
func (d *dispatch) try(h HandlerFunc, link error) bool {
	r := h(d.c, link)
	if r == Pass {
		return false
	}
	d.result, d.handled = r, true
	return true
}

// run offers the error to this ladder's handlers, most specific first, and
// reports whether one of them took it.
func (l *ladder) run(d *dispatch) bool {
	if (len(l.values) > 0 || len(l.exact) > 0 || len(l.ifaces) > 0) && l.runTyped(d) {
		return true
	}
	for _, h := range l.codes[d.code] {
		if d.try(h, d.err) {
			return true
		}
	}
	if l.byCode != nil && d.code >= 100 && d.code <= 999 {
		for _, h := range l.byCode[d.code-100] {
			if d.try(h, d.err) {
				return true
			}
		}
	}
	if d.carrier {
		for _, h := range l.http {
			if d.try(h, d.err) {
				return true
			}
		}
	}
	for _, h := range l.any {
		if d.try(h, d.err) {
			return true
		}
	}
	return false
}

// runTyped is rung 1: the chain, outermost link first; at each link a value
// match, then the exact type, then interface types, each in registration
// order.
func (l *ladder) runTyped(d *dispatch) bool {
	return walkChain(d.err, func(link error) bool {
		for _, h := range l.lookupValue(link) {
			if d.try(h, d.err) {
				return true
			}
		}
		if x, ok := link.(interface{ Is(error) bool }); ok {
			for _, target := range l.isTargets {
				if x.Is(target) {
					for _, h := range l.values[target] {
						if d.try(h, d.err) {
							return true
						}
					}
				}
			}
		}
		t := reflect.TypeOf(link)
		for _, h := range l.exact[t] {
			if d.try(h, link) {
				return true
			}
		}
		if len(l.ifaces) > 0 {
			for _, i := range l.implemented(t, link) {
				if d.try(l.ifaces[i].call, link) {
					return true
				}
			}
		}
		return false
	})
}

// lookupValue finds the OnError handlers for a link by map lookup. A link
// whose dynamic type is not comparable (a struct holding a slice, say)
// cannot equal any target; the lookup would panic, so it is recovered.
func (l *ladder) lookupValue(link error) (hs []HandlerFunc) {
	if len(l.values) == 0 {
		return nil
	}
	defer func() {
		if recover() != nil {
			hs = nil
		}
	}()
	return l.values[link]
}

// implemented returns the indices of the interface handlers t satisfies,
// computed once per dynamic type.
func (l *ladder) implemented(t reflect.Type, link error) []int {
	if v, ok := l.ifaceCache.Load(t); ok {
		return v.([]int)
	}
	var idx []int
	for i, th := range l.ifaces {
		if th.match(link) {
			idx = append(idx, i)
		}
	}
	l.ifaceCache.Store(t, idx)
	return idx
}
