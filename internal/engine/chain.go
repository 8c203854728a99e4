package engine

import (
	"fmt"
	"reflect"
)

// maxLinks bounds every walk of an error chain, so that a cyclic Unwrap or
// a pathological errors.Join tree costs bounded time. Links past the bound
// are not seen.
const maxLinks = 1024

// walk calls visit for each link of err's chain in the order errors.Is and
// errors.As use (pre-order, depth first, through Unwrap() error and Unwrap()
// []error), outermost first, until visit returns true or maxLinks links were
// seen; it reports whether visit stopped the walk. An Unwrap method that
// panics (a typed nil, say) ends that branch of the walk. A panic in visit
// is not recovered: it belongs to the caller.
func walk(err error, visit func(error) bool) bool {
	w := walker{visit: visit}
	return w.walk(err)
}

type walker struct {
	visit func(error) bool
	n     int
}

func (w *walker) walk(err error) bool {
	for err != nil && w.n < maxLinks {
		w.n++
		if w.visit(err) {
			return true
		}
		joined, next := unwrap(err)
		for _, e := range joined {
			if w.walk(e) {
				return true
			}
		}
		err = next
	}
	return false
}

// unwrap returns what err wraps: the errors it joins, or one error.
func unwrap(err error) (joined []error, next error) {
	defer func() {
		if recover() != nil {
			joined, next = nil, nil
		}
	}()
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return nil, u.Unwrap()
	case interface{ Unwrap() []error }:
		return u.Unwrap(), nil
	}
	return nil, nil
}

// same reports whether a and b are the same error value, as == does, but
// never panics. == panics when the dynamic types are equal and not
// comparable all the way down (a comparable struct holding a slice, a map or
// a func in an interface field); such values are the same when
// reflect.DeepEqual says so, which does not panic and stops at cycles.
func same(a, b error) bool {
	equal, ok := safeEqual(a, b)
	if ok {
		return equal
	}
	return deepEqual(a, b)
}

// safeEqual is a == b, and false for ok when == panicked.
func safeEqual(a, b error) (equal, ok bool) {
	defer func() {
		if recover() != nil {
			equal, ok = false, false
		}
	}()
	return a == b, true
}

func deepEqual(a, b error) (equal bool) {
	defer func() {
		if recover() != nil {
			equal = false
		}
	}()
	return reflect.DeepEqual(a, b)
}

// holds reports whether b is a link of a's chain (a itself included),
// walked as errors.Is walks it, bounded, compared with same.
func holds(a, b error) bool {
	return walk(a, func(link error) bool { return same(link, b) })
}

// is reports whether link matches target as errors.Is decides for one link:
// it equals target or its Is method claims it. target must be a sentinel
// whose dynamic type == never panics on (a pointer, a struct of plain
// fields: the context errors, http.ErrAbortHandler): == compares dynamic
// types first, so it cannot panic either. It runs for every link of every
// error, so it does without same's recover (BenchmarkFace/Join100); an
// arbitrary target, such as an OnError target, goes through same.
func is(link, target error) bool {
	if link == target {
		return true
	}
	x, ok := link.(interface{ Is(error) bool })
	return ok && safeIs(x, target)
}

func safeIs(x interface{ Is(error) bool }, target error) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return x.Is(target)
}

// ErrorText returns err.Error(), or a note when Error() panics (a typed nil
// whose method dereferences its receiver, say).
func ErrorText(err error) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("<%T: Error() panicked: %v>", err, p)
		}
	}()
	return err.Error()
}

// Walk is walk for the faces: it calls visit for each link of err's chain,
// bounded, in the order errors.As uses, until visit returns true.
func Walk(err error, visit func(error) bool) bool { return walk(err, visit) }
