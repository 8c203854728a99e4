package engine

import "fmt"

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

// same reports whether a and b are the same error value, as == does, without
// the panic == causes for dynamic types that are not comparable.
func same(a, b error) (equal bool) {
	defer func() {
		if recover() != nil {
			equal = false
		}
	}()
	return a == b
}

// is reports whether link matches target as errors.Is decides for one link:
// it equals target or its Is method claims it. target's dynamic type must
// be comparable (the context errors, OnError's targets), so that == cannot
// panic: it compares dynamic types first.
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
