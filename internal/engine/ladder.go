package engine

import (
	"reflect"
	"sort"
)

// HandlerFunc is a handler as the engine keeps it: c is the face's Echo
// context, err the error as the route returned it. The faces adapt their
// typed handlers to it.
type HandlerFunc func(c any, err error) error

// linkFunc is an OnType handler: it receives the link of the chain that
// matched, not the whole error.
type linkFunc func(c any, link error) error

// ladder holds one scope's handlers by rung. New builds it; it never
// changes afterwards.
type ladder struct {
	// Rung 1.
	targets []target    // OnError, in registration order
	types   []typeEntry // the concrete types of targets and of OnType handlers
	ifaces  []ifaceHandler

	codes    map[int][]HandlerFunc // rung 2
	ranges   []rangeHandler        // rung 3, as registered
	byStatus map[int][]HandlerFunc // rung 3 per status, narrowest range first (set by seal)
	http     []HandlerFunc         // rung 4
	any      []HandlerFunc         // rung 5
}

type target struct {
	err error
	hs  []HandlerFunc
}

// typeEntry is what rung 1 has for one concrete type. Services register a
// handful of types, so rung 1 scans a slice of them: comparing a few
// reflect.Types costs less per link than hashing one (BenchmarkDispatch).
//
// OnError targets are kept by value in values, except those that cannot be
// hashed (a comparable struct holding a slice, a map or a func in an
// interface field: hashing it panics), which are kept in loose and compared
// one by one with same, which never panics.
type typeEntry struct {
	t      reflect.Type
	values map[error][]HandlerFunc // OnError targets of this type
	loose  []target                // OnError targets of this type that cannot be hashed
	exact  []linkFunc              // OnType handlers for exactly this type
}

type ifaceHandler struct {
	match func(link error) bool
	call  linkFunc
}

type rangeHandler struct {
	lo, hi int
	h      HandlerFunc
}

// entry returns the typeEntry for t, adding it.
func (l *ladder) entry(t reflect.Type) *typeEntry {
	for i := range l.types {
		if l.types[i].t == t {
			return &l.types[i]
		}
	}
	l.types = append(l.types, typeEntry{t: t})
	return &l.types[len(l.types)-1]
}

func (l *ladder) addTarget(err error, h HandlerFunc) {
	e := l.entry(reflect.TypeOf(err))
	if hashable(err) {
		if e.values == nil {
			e.values = map[error][]HandlerFunc{}
		}
		e.values[err] = append(e.values[err], h)
	} else {
		e.loose = addTo(e.loose, err, h)
	}
	l.targets = addTo(l.targets, err, h)
}

// addTo adds h for err to ts, beside err's other handlers.
func addTo(ts []target, err error, h HandlerFunc) []target {
	for i := range ts {
		if same(ts[i].err, err) {
			ts[i].hs = append(ts[i].hs, h)
			return ts
		}
	}
	return append(ts, target{err, []HandlerFunc{h}})
}

// hashable reports whether err can be a map key: hashing it does not panic.
func hashable(err error) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = map[error]bool{err: true}
	return true
}

// targetsOf returns the handlers of the OnError targets equal to link, which
// is of e's type.
func (e *typeEntry) targetsOf(link error) []HandlerFunc {
	if hs := e.lookup(link); hs != nil {
		return hs
	}
	for _, tg := range e.loose {
		if same(link, tg.err) {
			return tg.hs
		}
	}
	return nil
}

// lookup is e.values[link], or nil when link cannot be hashed.
func (e *typeEntry) lookup(link error) (hs []HandlerFunc) {
	if len(e.values) == 0 {
		return nil
	}
	defer func() {
		if recover() != nil {
			hs = nil
		}
	}()
	return e.values[link]
}

func (l *ladder) typed() bool { return len(l.types) > 0 || len(l.ifaces) > 0 }

func (l *ladder) empty() bool {
	return !l.typed() && len(l.codes) == 0 && len(l.ranges) == 0 && len(l.http) == 0 && len(l.any) == 0
}

// seal resolves the ranges to the statuses they cover, narrowest first and
// in registration order among equals, so that a request costs one lookup.
func (l *ladder) seal() {
	if len(l.ranges) == 0 {
		return
	}
	sorted := append([]rangeHandler(nil), l.ranges...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].hi-sorted[i].lo < sorted[j].hi-sorted[j].lo })
	l.byStatus = map[int][]HandlerFunc{}
	for _, r := range sorted {
		for code := r.lo; code <= r.hi; code++ {
			l.byStatus[code] = append(l.byStatus[code], r.h)
		}
	}
}

// run offers the error to this ladder's handlers, most specific first, and
// reports whether one took it (returned anything but Pass).
func (l *ladder) run(d *dispatch) bool {
	if l.typed() && walk(d.err, func(link error) bool { return l.runLink(d, link) }) {
		return true
	}
	for _, h := range l.codes[d.code] {
		if d.try(h, d.err) {
			return true
		}
	}
	for _, h := range l.byStatus[d.code] {
		if d.try(h, d.err) {
			return true
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

// runLink is rung 1 at one link: a value equal to the link (or claimed by
// its Is method), then the link's exact type, then interface types, each in
// registration order.
func (l *ladder) runLink(d *dispatch, link error) bool {
	var entry *typeEntry
	t := reflect.TypeOf(link)
	for i := range l.types {
		if l.types[i].t == t {
			entry = &l.types[i]
			break
		}
	}
	if entry != nil && t.Comparable() && d.tryAll(entry.targetsOf(link)) {
		return true
	}
	if l.runClaimed(d, link) {
		return true
	}
	if entry != nil {
		for _, h := range entry.exact {
			if d.tryLink(h, link) {
				return true
			}
		}
	}
	for _, ih := range l.ifaces {
		if ih.match(link) && d.tryLink(ih.call, link) {
			return true
		}
	}
	return false
}

// runClaimed offers the error to the OnError targets that link's Is method
// claims (and that are not the link itself, already tried).
func (l *ladder) runClaimed(d *dispatch, link error) bool {
	x, ok := link.(interface{ Is(error) bool })
	if !ok {
		return false
	}
	for _, tg := range l.targets {
		if !same(link, tg.err) && safeIs(x, tg.err) && d.tryAll(tg.hs) {
			return true
		}
	}
	return false
}
