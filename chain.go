package echoerr

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// maxChainLinks bounds every walk of an error chain, so that a cyclic Unwrap
// or a pathological errors.Join tree costs bounded time. Links past the bound
// are not seen: a status carrier deeper than this is ignored.
const maxChainLinks = 1024

// link is one link of an error chain, with what it can do.
type link struct {
	err  error
	caps caps
	more uint8 // in a view: how many links after this one have its type (a run of fmt wrappers)
}

// caps records which of the interfaces echoerr looks for a link implements,
// so that each is asserted once per dynamic type rather than once per use.
type caps uint8

const (
	capCarrier     caps = 1 << iota // *echo.HTTPError, *Error or StatusCode() int
	capPublic                       // Describer, Extender or Headerer
	capIs                           // Is(error) bool
	capUnwrap                       // Unwrap() error
	capUnwrapMulti                  // Unwrap() []error
	capSameType                     // the link has the type of the link walked before it
)

func capsOf(err error) caps {
	switch err.(type) { // the commonest carriers, whose methods are known
	case *echo.HTTPError, *Error:
		return capCarrier | capUnwrap
	}
	return capsByAssertion(err)
}

// capsByAssertion is capsOf for any type, asking for each interface.
func capsByAssertion(err error) caps {
	var c caps
	switch err.(type) {
	case *echo.HTTPError, *Error, statusCoder:
		c |= capCarrier
	}
	switch err.(type) {
	case Describer, Extender, Headerer:
		c |= capPublic
	}
	if _, ok := err.(interface{ Is(error) bool }); ok {
		c |= capIs
	}
	switch err.(type) {
	case interface{ Unwrap() error }:
		c |= capUnwrap
	case interface{ Unwrap() []error }:
		c |= capUnwrapMulti
	}
	return c
}

// typeMemo remembers the capabilities of the last dynamic type seen: chains
// repeat types (fmt's wrapper, Join leaves).
type typeMemo struct {
	t reflect.Type
	c caps
}

func (m *typeMemo) capsOf(err error) caps {
	if t := reflect.TypeOf(err); t != m.t {
		m.t, m.c = t, capsOf(err)
		return m.c
	}
	return m.c | capSameType
}

// walkChain calls visit for each link of err in the order errors.As uses
// (pre-order, depth first, through Unwrap() error and Unwrap() []error),
// outermost first, until visit returns true or maxChainLinks links were
// seen. It reports whether visit stopped the walk. An Unwrap that panics (a
// typed nil, say) ends the walk. A panic in visit (a user's handler, run
// from rung 1) is not recovered here: it goes on to the caller.
func walkChain(err error, visit func(link) bool) (stopped bool) {
	w := walker{visit: visit}
	defer func() { // one deferred recover per walk, not per link
		if !w.visiting {
			_ = recover()
		}
	}()
	return w.walk(err)
}

// chainView is an error's chain, flattened once when it is short, so that
// normalization and each scope's rung 1 iterate over it instead of walking
// the chain again.
type chainView struct {
	links    []link // every link, when complete
	complete bool
}

// viewChain returns a view of err's chain that keeps its links in buf when
// they fit.
func viewChain(err error, buf []link) chainView {
	if v, ok := viewLinear(err, buf); ok {
		return v
	}
	v := chainView{links: buf}
	run := 0
	v.complete = !walkChain(err, func(l link) bool {
		if len(v.links) == cap(v.links) {
			return true
		}
		v.links = appendLink(v.links, &run, l)
		return false
	})
	return v
}

// appendLink appends l to a view's links, counting it into the run of links
// of one type that starts at links[*run].
func appendLink(links []link, run *int, l link) []link {
	if l.caps&capSameType != 0 && *run < len(links) && links[*run].more < 255 {
		links[*run].more++
	} else {
		*run = len(links)
	}
	return append(links, l)
}

// viewSingle returns the complete view of err, in buf (of capacity one or
// more), when err is the whole chain: it wraps nothing. Otherwise the view
// it returns is not complete. Most errors that reach the handler are one
// link (Echo's own, errors.New, a custom type), and this costs them no walk.
func viewSingle(err error, buf []link) chainView {
	if err == nil {
		return chainView{}
	}
	c := capsOf(err)
	switch e := err.(type) { // carriers that wrap nothing, seen without calling Unwrap
	case *echo.HTTPError:
		if e != nil && e.Internal == nil {
			c &^= capUnwrap
		}
	case *Error:
		if e != nil && e.Err == nil {
			c &^= capUnwrap
		}
	}
	if c&(capUnwrap|capUnwrapMulti) != 0 {
		return chainView{}
	}
	return chainView{links: append(buf[:0], link{err: err, caps: c}), complete: true}
}

// viewLinear is viewChain for the common chain, a line of Unwrap() error
// links that fits in buf, without walkChain's callbacks. It reports false
// for any other chain: a Join, a longer one, an Unwrap that panics.
func viewLinear(err error, buf []link) (v chainView, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	var memo typeMemo
	run := 0
	for err != nil {
		c := memo.capsOf(err)
		if len(buf) == cap(buf) || c&capUnwrapMulti != 0 {
			return chainView{}, false
		}
		buf = appendLink(buf, &run, link{err: err, caps: c})
		if c&capUnwrap == 0 {
			break
		}
		err = err.(interface{ Unwrap() error }).Unwrap()
	}
	return chainView{links: buf, complete: true}, true
}

// walkErrors is walkChain for callers that need only the errors.
func walkErrors(err error, visit func(error) bool) bool {
	return walkChain(err, func(l link) bool { return visit(l.err) })
}

// walker is one walk of a chain.
type walker struct {
	visit    func(link) bool
	visiting bool // visit is running: a panic now is not the chain's
	n        int
	memo     typeMemo
}

func (w *walker) walk(err error) bool {
	for err != nil && w.n < maxChainLinks {
		w.n++
		c := w.memo.capsOf(err)
		w.visiting = true
		stop := w.visit(link{err: err, caps: c})
		w.visiting = false
		if stop {
			return true
		}
		switch {
		case c&capUnwrap != 0:
			err = err.(interface{ Unwrap() error }).Unwrap()
		case c&capUnwrapMulti != 0:
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				if w.walk(e) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
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

// inspect gathers the facts of a chain into f. With public set it also
// gathers the public description, extensions and headers. A link whose
// methods panic (a typed nil, say) ends the walk; what was found before it
// stands.
func inspect(err error, v *chainView, public bool, f *chainFacts) {
	defer func() { _ = recover() }()
	var in inspector
	if v.complete {
		for _, l := range v.links {
			if in.visit(f, l, public) {
				break
			}
		}
		return
	}
	walkChain(err, func(l link) bool { return in.visit(f, l, public) })
}

// inspector is one inspection of a chain, link by link.
type inspector struct {
	haveDesc, haveExt, haveHeader bool
}

// visit adds what one link tells to f, and reports whether the walk can
// stop: the link is the status carrier.
func (in *inspector) visit(f *chainFacts, l link, public bool) bool {
	if public && l.caps&(capCarrier|capPublic) != 0 {
		if !in.haveDesc {
			f.desc, in.haveDesc = publicDescription(l.err)
		}
		if !in.haveExt {
			f.ext, in.haveExt = linkExtensions(l.err)
		}
		if !in.haveHeader {
			f.header, in.haveHeader = linkHeader(l.err)
		}
	}
	if l.caps&capCarrier != 0 {
		if code, ok := carrierStatus(l.err); ok {
			f.code, f.carrier, f.canceled, f.deadline = code, true, false, false
			if !validStatus(code) {
				f.invalid, f.bad = code, true
			}
			return true
		}
	}
	if isContextErr(l, context.Canceled) {
		f.canceled = true
	} else if isContextErr(l, context.DeadlineExceeded) {
		f.deadline = true
	}
	return false
}

// isContextErr is errors.Is for one link and a comparable target.
func isContextErr(l link, target error) bool {
	if l.err == target { // target's type is comparable: this cannot panic
		return true
	}
	return l.caps&capIs != 0 && l.err.(interface{ Is(error) bool }).Is(target)
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
		if m, ok := he.Message.(string); ok && m != "" && m != http.StatusText(he.Code) && !proxyUpstreamText(he.Code, m) {
			return m, true
		}
	case *Error:
		if e != nil && e.ownDescription() != "" {
			return e.ownDescription(), true
		}
	case Describer:
		if d := e.Description(); d != "" {
			return d, true
		}
	}
	return "", false
}

// proxyUpstreamText reports whether m, the string Message of an
// *echo.HTTPError with status code, is one that Echo v4's Proxy middleware
// writes for a 502 (middleware/proxy.go): "remote <upstream> unreachable,
// could not forward: <error>", or for its raw (WebSocket) mode "proxy raw,
// dial error=<error>, url=<upstream>" and "proxy raw, request header copy
// error=<error>, url=<upstream>". It names the upstream's address and the
// dial error, which are internal: such an error gets the default public
// description.
func proxyUpstreamText(code int, m string) bool {
	if code != http.StatusBadGateway {
		return false
	}
	if strings.HasPrefix(m, "remote ") {
		return strings.Contains(m, " unreachable, could not forward: ")
	}
	return (strings.HasPrefix(m, "proxy raw, dial error=") || strings.HasPrefix(m, "proxy raw, request header copy error=")) &&
		strings.Contains(m, ", url=")
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
	values    map[error][]HandlerFunc     // rung 1: OnError, by target value
	isTargets []error                     // rung 1: the same targets, in order, for links with an Is method
	types     map[reflect.Type]*typeEntry // rung 1: by a link's dynamic type
	typeList  []typeListEntry             // rung 1: types as a list, when they are few
	ifaces    []typedHandler              // rung 1: OnType with an interface type
	codes     map[int][]HandlerFunc       // rung 2: OnCode
	exact     [][]HandlerFunc             // rung 2: per status-100
	ranges    []rangeHandler              // rung 3: OnRange, as registered
	byCode    [][]HandlerFunc             // rung 3: per status-100, narrowest range first
	http      []HandlerFunc               // rung 4: OnHTTPError and OnType[carrier]
	any       []HandlerFunc               // rung 5: OnAny

	echoIdle   bool     // rung 1 has nothing for *echo.HTTPError (set by seal)
	ifaceCache sync.Map // reflect.Type → []int: which ifaces a concrete type implements
}

// typeListEntry is one concrete type of ladder.typeList.
type typeListEntry struct {
	t reflect.Type
	e *typeEntry
}

// maxTypeList is how many concrete types rung 1 scans rather than hashes.
const maxTypeList = 8

// typeEntry is what rung 1 has for one concrete type.
type typeEntry struct {
	values bool          // some OnError target has this type: look the value up
	exact  []HandlerFunc // OnType handlers for exactly this type
}

// entry returns the typeEntry for t, creating it while New registers.
func (l *ladder) entry(t reflect.Type) *typeEntry {
	if l.types == nil {
		l.types = map[reflect.Type]*typeEntry{}
	}
	if l.types[t] == nil {
		l.types[t] = &typeEntry{}
	}
	return l.types[t]
}

// typed reports whether the ladder has rung-1 handlers.
func (l *ladder) typed() bool { return len(l.types) > 0 || len(l.ifaces) > 0 }

// empty reports whether the ladder has no handlers at all.
func (l *ladder) empty() bool {
	return !l.typed() && len(l.codes) == 0 && len(l.ranges) == 0 && len(l.http) == 0 && len(l.any) == 0
}

type rangeHandler struct {
	lo, hi int
	h      HandlerFunc
}

// seal precomputes lookups once all handlers are registered.
func (l *ladder) seal() {
	if n := len(l.types); n > 0 && n <= maxTypeList {
		l.typeList = make([]typeListEntry, 0, n)
		for t, e := range l.types {
			l.typeList = append(l.typeList, typeListEntry{t, e})
		}
	}
	// Most links that reach rung 1 are Echo's own errors: decide for their
	// type once.
	echoType := reflect.TypeOf((*echo.HTTPError)(nil))
	l.echoIdle = l.types[echoType] == nil
	for _, th := range l.ifaces {
		if th.match(&echo.HTTPError{}) {
			l.echoIdle = false
		}
	}
	if len(l.codes) > 0 {
		l.exact = make([][]HandlerFunc, 900)
		for code, hs := range l.codes {
			l.exact[code-100] = hs
		}
	}
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
	st      *requestState

	result  error // what the handler that took the error returned
	given   error // what that handler was given: err, or a link of it (rung 1)
	handled bool  // a handler took the error (returned something other than Pass)
}

// try runs one handler and reports whether it took the error.
func (d *dispatch) try(h HandlerFunc, link error) bool {
	r := h(d.c, link)
	if d.st.reentered != nil {
		r = d.st.reentered // the handler called c.Error: that is its result
	}
	if r == Pass {
		return false
	}
	d.result, d.given, d.handled = r, link, true
	return true
}

// run offers the error to this ladder's handlers, most specific first, and
// reports whether one of them took it.
func (l *ladder) run(d *dispatch, v *chainView) bool {
	if l.typed() && l.runTyped(d, v) {
		return true
	}
	if d.code >= 100 && d.code <= 999 {
		if l.exact != nil {
			for _, h := range l.exact[d.code-100] {
				if d.try(h, d.err) {
					return true
				}
			}
		}
		if l.byCode != nil {
			for _, h := range l.byCode[d.code-100] {
				if d.try(h, d.err) {
					return true
				}
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
// order. Per link it costs a type lookup, skipped when the link has the
// previous link's type.
func (l *ladder) runTyped(d *dispatch, v *chainView) bool {
	var r typedRun
	if v.complete {
		for i := 0; i < len(v.links); i++ {
			lk := v.links[i]
			if r.idle(l, lk) {
				i += int(lk.more) // the rest of a run of its type is idle too
				continue
			}
			if r.visit(l, d, lk) {
				return true
			}
		}
		return false
	}
	return walkChain(d.err, func(lk link) bool { return !r.idle(l, lk) && r.visit(l, d, lk) })
}

// typedRun is one run of rung 1 down a chain. It remembers what rung 1 has
// for the previous link's type, which the next link often shares (a chain of
// fmt wrappers).
type typedRun struct {
	started bool       // a link was looked up
	entry   *typeEntry // for the last type looked up
	ifaces  []int
}

// idle reports, cheaply, that rung 1 has nothing for lk: it has no Is
// method and a type that no OnError target or OnType handler has. It
// prepares visit otherwise.
func (r *typedRun) idle(l *ladder, lk link) bool {
	if _, ok := lk.err.(*echo.HTTPError); ok && l.echoIdle {
		r.started, r.entry, r.ifaces = true, nil, nil
		return true
	}
	if lk.caps&capSameType == 0 || !r.started {
		t := reflect.TypeOf(lk.err)
		r.started, r.entry = true, l.typeEntry(t)
		r.ifaces = nil
		if len(l.ifaces) > 0 {
			r.ifaces = l.implemented(t, lk.err)
		}
	}
	return r.entry == nil && len(r.ifaces) == 0 && (lk.caps&capIs == 0 || len(l.isTargets) == 0)
}

// visit offers one link to rung 1 and reports whether a handler took the
// error.
func (r *typedRun) visit(l *ladder, d *dispatch, lk link) bool {
	if r.entry != nil && r.entry.values {
		for _, h := range l.lookupValue(lk.err) {
			if d.try(h, d.err) {
				return true
			}
		}
	}
	if lk.caps&capIs != 0 && len(l.isTargets) > 0 && l.runIs(d, lk.err) {
		return true
	}
	if r.entry != nil {
		for _, h := range r.entry.exact {
			if d.try(h, lk.err) {
				return true
			}
		}
	}
	for _, i := range r.ifaces {
		if d.try(l.ifaces[i].call, lk.err) {
			return true
		}
	}
	return false
}

// typeEntry returns rung 1's entry for the concrete type t, or nil. A
// handful of types, the usual case, are scanned: comparing two
// reflect.Types is cheaper than hashing one.
func (l *ladder) typeEntry(t reflect.Type) *typeEntry {
	if l.typeList != nil {
		for _, te := range l.typeList {
			if te.t == t {
				return te.e
			}
		}
		return nil
	}
	return l.types[t]
}

// runIs offers the error to OnError handlers whose target a link's own Is
// method claims, as errors.Is does.
func (l *ladder) runIs(d *dispatch, e error) bool {
	x := e.(interface{ Is(error) bool })
	for _, target := range l.isTargets {
		if x.Is(target) {
			for _, h := range l.values[target] {
				if d.try(h, d.err) {
					return true
				}
			}
		}
	}
	return false
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
