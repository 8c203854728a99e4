package engine

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// rungErr is an error type a value and a type are registered for.
type rungErr struct{ s string }

func (e rungErr) Error() string { return e.s }

// claimer equals itself and claims another target through its Is method.
type claimer struct{ claims error }

func (e claimer) Error() string        { return "claimer" }
func (e claimer) Is(target error) bool { return target == e.claims }

// tried returns the names of the handlers a scope of opts tries, in order,
// for err with status code, each of them passing.
func tried(err error, code int, carrier bool, opts ...func(tag func(string) HandlerFunc) Option) []string {
	var got []string
	tag := func(name string) HandlerFunc {
		return func(any, error) error { got = append(got, name); return Pass }
	}
	var options []Option
	for _, o := range opts {
		options = append(options, o(tag))
	}
	h := New(nilFace{}, options...)
	d := dispatch{x: &exchange{}, err: err, code: code, carrier: carrier}
	if h.root.run(&d) {
		panic("every handler passes")
	}
	return got
}

// The rules of a scope are tried by their precedence key, whatever the
// order of registration: rung 1 at each link of the chain, outermost first
// (a value, an exact type, an interface type), then OnCode, OnRange
// narrowest first, OnHTTPError, OnAny.
func TestRulesAreTriedInPrecedenceOrder(t *testing.T) {
	type unwrapper interface {
		error
		Unwrap() error
	}
	err := fmt.Errorf("outer: %w", rungErr{"inner"})
	got := tried(err, 404, true,
		func(tag func(string) HandlerFunc) Option { return OnAny(tag("any")) },
		func(tag func(string) HandlerFunc) Option { return OnRange(400, 499, tag("4xx")) },
		func(tag func(string) HandlerFunc) Option { return OnHTTPError(tag("http")) },
		func(tag func(string) HandlerFunc) Option {
			return OnType(func(c any, e rungErr) error { return tag("type")(c, e) }, false)
		},
		func(tag func(string) HandlerFunc) Option { return OnCode(404, tag("404")) },
		func(tag func(string) HandlerFunc) Option {
			return OnType(func(c any, e unwrapper) error { return tag("iface")(c, e) }, false)
		},
		func(tag func(string) HandlerFunc) Option { return OnRange(404, 405, tag("404-405")) },
		func(tag func(string) HandlerFunc) Option { return OnError(rungErr{"inner"}, tag("value")) },
		func(tag func(string) HandlerFunc) Option { return OnCode(500, tag("500")) },
		func(tag func(string) HandlerFunc) Option { return OnError(rungErr{"other"}, tag("other value")) },
	)
	assert.Equal(t, []string{"iface", "value", "type", "404", "404-405", "4xx", "http", "any"}, got)
}

// At one link, values come in registration order, whether the link equals
// a target or its Is method claims it.
func TestValuesAtOneLinkComeInRegistrationOrder(t *testing.T) {
	a := errors.New("a")
	link := claimer{claims: a}
	got := tried(link, 500, false,
		func(tag func(string) HandlerFunc) Option { return OnError(a, tag("claimed")) },
		func(tag func(string) HandlerFunc) Option { return OnError(claimer{claims: a}, tag("equal")) },
	)
	assert.Equal(t, []string{"claimed", "equal"}, got)
}
