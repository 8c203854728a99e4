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
type typeEntry struct {
	t      reflect.Type
	values map[error][]HandlerFunc // OnError targets of this type
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
	if e.values == nil {
		e.values = map[error][]HandlerFunc{}
	}
	e.values[err] = append(e.values[err], h)
	for i := range l.targets {
		if l.targets[i].err == err {
			l.targets[i].hs = append(l.targets[i].hs, h)
			return
		}
	}
	l.targets = append(l.targets, target{err, []HandlerFunc{h}})
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
	if entry != nil && entry.values != nil && t.Comparable() {
		for _, h := range entry.values[link] {
			if d.try(h, d.err) {
				return true
			}
		}
	}
	if x, ok := link.(interface{ Is(error) bool }); ok {
		for _, tg := range l.targets {
			if link != tg.err && safeIs(x, tg.err) { // a target is comparable: == cannot panic
				for _, h := range tg.hs {
					if d.try(h, d.err) {
						return true
					}
				}
			}
		}
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
