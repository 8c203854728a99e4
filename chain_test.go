package echoerr_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// quotaError matches every rung at once: it is a comparable value (for
// OnError), a concrete type, an implementation of temporary, and a status
// carrier (429).
type quotaError struct{}

func (*quotaError) Error() string   { return "quota exceeded" }
func (*quotaError) StatusCode() int { return http.StatusTooManyRequests }
func (*quotaError) Temporary() bool { return true }

var errQuota = &quotaError{}

// rung is one way of registering a handler that matches errQuota.
type rung struct {
	tag string
	opt func(tr *tracer, result error) echoerr.Option
}

// ladderRungs lists the registrations matching errQuota, most specific first.
var ladderRungs = []rung{
	{"value", func(tr *tracer, r error) echoerr.Option {
		return echoerr.OnError(errQuota, handlerResult(tr, "value", r))
	}},
	{"type", func(tr *tracer, r error) echoerr.Option { return echoerr.OnType(typed[*quotaError](tr, "type", r)) }},
	{"iface", func(tr *tracer, r error) echoerr.Option { return echoerr.OnType(typed[temporary](tr, "iface", r)) }},
	{"code", func(tr *tracer, r error) echoerr.Option { return echoerr.OnCode(429, handlerResult(tr, "code", r)) }},
	{"range", func(tr *tracer, r error) echoerr.Option {
		return echoerr.OnRange(400, 499, handlerResult(tr, "range", r))
	}},
	{"http", func(tr *tracer, r error) echoerr.Option { return echoerr.OnHTTPError(handlerResult(tr, "http", r)) }},
	{"any", func(tr *tracer, r error) echoerr.Option { return echoerr.OnAny(handlerResult(tr, "any", r)) }},
}

func handlerResult(tr *tracer, tag string, result error) echoerr.HandlerFunc {
	return func(echo.Context, error) error { tr.add(tag); return result }
}

// TestPrecedenceEachRungBeatsTheRungsBelow registers, for each rung, that
// rung and every less specific one, in ladder order and in reverse order:
// the most specific rung runs, and only it, whatever the registration order.
func TestPrecedenceEachRungBeatsTheRungsBelow(t *testing.T) {
	routeErr := fmt.Errorf("upload: %w", errQuota)
	for i, want := range ladderRungs {
		for _, reversed := range []bool{false, true} {
			name := want.tag
			if reversed {
				name += "/registered-least-specific-first"
			}
			t.Run(name, func(t *testing.T) {
				tr := &tracer{}
				var opts []echoerr.Option
				for _, r := range ladderRungs[i:] {
					opts = append(opts, r.opt(tr, nil))
				}
				if reversed {
					slices.Reverse(opts)
				}
				f := newFixture(t, opts...)
				f.failWith("/x", routeErr)
				rec := f.do(http.MethodGet, "/x")
				assert.Equal(t, []string{want.tag}, tr.Ran())
				assert.Equal(t, http.StatusTooManyRequests, rec.Code, "a handler returning nil gets the canonical error rendered")
			})
		}
	}
}

// TestPrecedencePassContinuesDownTheLadder: every handler passes, so each
// runs once, in ladder order, and the canonical error is rendered.
func TestPrecedencePassContinuesDownTheLadder(t *testing.T) {
	tr := &tracer{}
	var opts []echoerr.Option
	var want []string
	for _, r := range slices.Backward(ladderRungs) {
		opts = append(opts, r.opt(tr, echoerr.Pass))
	}
	for _, r := range ladderRungs {
		want = append(want, r.tag)
	}
	f := newFixture(t, opts...)
	f.failWith("/x", fmt.Errorf("upload: %w", errQuota))
	rec := f.do(http.MethodGet, "/x")
	assert.Equal(t, want, tr.Ran())
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.Equal(t, "Too Many Requests", decodeJSON(t, rec.Body)["name"])
}

// TestPrecedencePassToTheNextHandlerOnTheSameRung: Pass moves on to the
// next handler registered on the same rung before the next rung.
func TestPrecedencePassToTheNextHandlerOnTheSameRung(t *testing.T) {
	tr := &tracer{}
	f := newFixture(t,
		echoerr.OnAny(tr.take("any")),
		echoerr.OnCode(404, tr.pass("code-1")),
		echoerr.OnCode(404, tr.take("code-2")),
	)
	f.do(http.MethodGet, "/missing")
	assert.Equal(t, []string{"code-1", "code-2"}, tr.Ran())
}

// TestPrecedenceOutermostLinkFirst: on rung 1, the link nearest the route's
// error wins, whatever kind of registration matches a deeper link.
func TestPrecedenceOutermostLinkFirst(t *testing.T) {
	inner := errors.New("inner sentinel")
	routeErr := fmt.Errorf("handler: %w", &wrapError{msg: "outer", err: fmt.Errorf("mid: %w", &tempErrorWrap{tempError{"temp"}, inner})})

	tr := &tracer{}
	f := newFixture(t,
		echoerr.OnError(inner, tr.take("inner-value")),
		echoerr.OnType(typed[temporary](tr, "middle-iface", nil)),
		echoerr.OnType(typed[*wrapError](tr, "outer-type", nil)),
	)
	f.failWith("/x", routeErr)
	f.do(http.MethodGet, "/x")
	assert.Equal(t, []string{"outer-type"}, tr.Ran(), "the outermost matching link wins, even over a value match deeper down")

	tr = &tracer{}
	f = newFixture(t,
		echoerr.OnError(inner, tr.take("inner-value")),
		echoerr.OnType(typed[temporary](tr, "middle-iface", nil)),
	)
	f.failWith("/x", routeErr)
	f.do(http.MethodGet, "/x")
	assert.Equal(t, []string{"middle-iface"}, tr.Ran())
}

// tempErrorWrap is a temporary error that wraps a cause.
type tempErrorWrap struct {
	tempError
	cause error
}

func (e *tempErrorWrap) Unwrap() error { return e.cause }

// TestPrecedenceAtOneLinkValueThenTypeThenInterface: at a single link, a
// value registered with OnError beats the exact concrete type, which beats
// an interface type, whatever the registration order.
func TestPrecedenceAtOneLinkValueThenTypeThenInterface(t *testing.T) {
	for _, tc := range []struct {
		name string
		regs []string // tags of ladderRungs[0:3] to register, in this order
		want string
	}{
		{"value beats type and interface", []string{"iface", "type", "value"}, "value"},
		{"type beats interface", []string{"iface", "type"}, "type"},
		{"interface alone", []string{"iface"}, "iface"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &tracer{}
			var opts []echoerr.Option
			for _, tag := range tc.regs {
				i := slices.IndexFunc(ladderRungs, func(r rung) bool { return r.tag == tag })
				opts = append(opts, ladderRungs[i].opt(tr, nil))
			}
			f := newFixture(t, opts...)
			f.failWith("/x", errQuota)
			f.do(http.MethodGet, "/x")
			assert.Equal(t, []string{tc.want}, tr.Ran())
		})
	}
}

// TestPrecedenceRegistrationOrderBreaksTies: two handlers for the same type,
// interface, value, code or catch-all run in registration order.
func TestPrecedenceRegistrationOrderBreaksTies(t *testing.T) {
	type fooer interface {
		error
		Temporary() bool
	}
	for _, tc := range []struct {
		name string
		regs func(tr *tracer) []echoerr.Option
	}{
		{"OnType same type", func(tr *tracer) []echoerr.Option {
			return []echoerr.Option{echoerr.OnType(typed[*quotaError](tr, "first", nil)), echoerr.OnType(typed[*quotaError](tr, "second", nil))}
		}},
		{"OnType two interfaces", func(tr *tracer) []echoerr.Option {
			return []echoerr.Option{echoerr.OnType(typed[temporary](tr, "first", nil)), echoerr.OnType(typed[fooer](tr, "second", nil))}
		}},
		{"OnError same value", func(tr *tracer) []echoerr.Option {
			return []echoerr.Option{echoerr.OnError(errQuota, tr.take("first")), echoerr.OnError(errQuota, tr.take("second"))}
		}},
		{"OnCode", func(tr *tracer) []echoerr.Option {
			return []echoerr.Option{echoerr.OnCode(429, tr.take("first")), echoerr.OnCode(429, tr.take("second"))}
		}},
		{"OnHTTPError", func(tr *tracer) []echoerr.Option {
			return []echoerr.Option{echoerr.OnHTTPError(tr.take("first")), echoerr.OnHTTPError(tr.take("second"))}
		}},
		{"OnAny", func(tr *tracer) []echoerr.Option {
			return []echoerr.Option{echoerr.OnAny(tr.take("first")), echoerr.OnAny(tr.take("second"))}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &tracer{}
			f := newFixture(t, tc.regs(tr)...)
			f.failWith("/x", errQuota)
			f.do(http.MethodGet, "/x")
			assert.Equal(t, []string{"first"}, tr.Ran())
		})
	}
}

// TestPrecedenceNarrowestRangeWins: among ranges holding the status, the
// narrowest runs first; equal widths go by registration order.
func TestPrecedenceNarrowestRangeWins(t *testing.T) {
	tr := &tracer{}
	f := newFixture(t,
		echoerr.OnRange(400, 499, tr.pass("400-499")),
		echoerr.OnRange(400, 409, tr.pass("400-409")),
		echoerr.OnRange(404, 413, tr.pass("404-413")),
		echoerr.OnRange(404, 404, tr.pass("404-404")),
		echoerr.OnRange(500, 599, tr.pass("500-599")),
	)
	rec := f.do(http.MethodGet, "/missing")
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, []string{"404-404", "400-409", "404-413", "400-499"}, tr.Ran())
}

// TestPrecedenceRangeBounds: a range is inclusive at both ends.
func TestPrecedenceRangeBounds(t *testing.T) {
	for _, tc := range []struct {
		code int
		want []string
	}{{399, nil}, {400, []string{"r"}}, {404, []string{"r"}}, {499, []string{"r"}}, {500, nil}} {
		tr := &tracer{}
		f := newFixture(t, echoerr.OnRange(400, 499, tr.take("r")))
		f.failWith("/x", echo.NewHTTPError(tc.code))
		f.do(http.MethodGet, "/x")
		assert.Equal(t, tc.want, tr.Ran(), "status %d", tc.code)
	}
}

// TestPrecedenceOnTypeHTTPErrorIsRungFour: *echo.HTTPError and *Error are
// status carriers, so OnType for them registers on rung 4: OnCode and
// OnRange beat it, it beats OnAny, and it receives the carrier typed even
// when wrapped.
func TestPrecedenceOnTypeHTTPErrorIsRungFour(t *testing.T) {
	he := echo.NewHTTPError(http.StatusNotFound, "no such page")
	routeErr := fmt.Errorf("lookup: %w", he)

	t.Run("OnCode beats it", func(t *testing.T) {
		tr := &tracer{}
		f := newFixture(t, echoerr.OnType(typed[*echo.HTTPError](tr, "type", nil)), echoerr.OnCode(404, tr.take("code")))
		f.failWith("/x", routeErr)
		f.do(http.MethodGet, "/x")
		assert.Equal(t, []string{"code"}, tr.Ran())
	})
	t.Run("OnRange beats it", func(t *testing.T) {
		tr := &tracer{}
		f := newFixture(t, echoerr.OnType(typed[*echo.HTTPError](tr, "type", nil)), echoerr.OnRange(400, 499, tr.take("range")))
		f.failWith("/x", routeErr)
		f.do(http.MethodGet, "/x")
		assert.Equal(t, []string{"range"}, tr.Ran())
	})
	t.Run("it beats OnAny and gets the carrier", func(t *testing.T) {
		tr := &tracer{}
		var got *echo.HTTPError
		f := newFixture(t,
			echoerr.OnAny(tr.take("any")),
			echoerr.OnType(func(_ echo.Context, e *echo.HTTPError) error { tr.add("type"); got = e; return nil }),
		)
		f.failWith("/x", routeErr)
		f.do(http.MethodGet, "/x")
		assert.Equal(t, []string{"type"}, tr.Ran())
		assert.Same(t, he, got)
	})
	t.Run("OnType[*Error] too", func(t *testing.T) {
		tr := &tracer{}
		fe := echoerr.NewError(http.StatusConflict, "taken")
		var got *echoerr.Error
		f := newFixture(t,
			echoerr.OnAny(tr.take("any")),
			echoerr.OnType(func(_ echo.Context, e *echoerr.Error) error { tr.add("type"); got = e; return nil }),
			echoerr.OnCode(409, tr.pass("code")),
		)
		f.failWith("/x", fmt.Errorf("save: %w", fe))
		f.do(http.MethodGet, "/x")
		assert.Equal(t, []string{"code", "type"}, tr.Ran())
		assert.Same(t, fe, got)
	})
	t.Run("not called without a carrier", func(t *testing.T) {
		tr := &tracer{}
		f := newFixture(t, echoerr.OnType(typed[*echo.HTTPError](tr, "type", nil)), echoerr.OnAny(tr.take("any")))
		f.failWith("/x", errors.New("boom"))
		f.do(http.MethodGet, "/x")
		assert.Equal(t, []string{"any"}, tr.Ran())
	})
}

// TestPrecedenceOnHTTPErrorIgnoresDerivedStatuses: rung 4 is for errors that
// carry a status; the 500 of an unknown error and the 503 of a deadline are
// derived by echoerr and do not count (though OnCode sees them).
func TestPrecedenceOnHTTPErrorIgnoresDerivedStatuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"unknown error", errors.New("boom"), []string{"any"}},
		{"deadline", fmt.Errorf("query: %w", contextDeadline()), []string{"code", "any"}},
		{"custom carrier", &codedError{503, "down"}, []string{"code", "http"}},
		{"carrier with an invalid status", echo.NewHTTPError(0), []string{"any"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &tracer{}
			f := newFixture(t,
				echoerr.OnHTTPError(tr.take("http")),
				echoerr.OnAny(tr.take("any")),
				echoerr.OnCode(503, tr.pass("code")),
			)
			f.failWith("/x", tc.err)
			f.do(http.MethodGet, "/x")
			assert.Equal(t, tc.want, tr.Ran())
		})
	}
}

// TestOnErrorMatchesAsErrorsIsDoes: OnError matches a target anywhere in
// the chain, through %w and errors.Join, and a link whose Is method says so.
func TestOnErrorMatchesAsErrorsIsDoes(t *testing.T) {
	target := errors.New("not found in store")
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"itself", target},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", target))},
		{"joined", errors.Join(errors.New("other"), target)},
		{"Is method", isError{target}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &tracer{}
			var got error
			f := newFixture(t, echoerr.OnError(target, func(_ echo.Context, err error) error {
				tr.add("value")
				got = err
				return nil
			}), echoerr.OnAny(tr.take("any")))
			f.failWith("/x", tc.err)
			f.do(http.MethodGet, "/x")
			assert.Equal(t, []string{"value"}, tr.Ran())
			assert.Equal(t, tc.err, got, "OnError handlers get the error as the route returned it")
		})
	}
}

// isError claims to be target through an Is method.
type isError struct{ target error }

func (e isError) Error() string        { return "is-error" }
func (e isError) Is(target error) bool { return target == e.target }

// TestHandlersGetTheErrorAsReturned: code, range, carrier and catch-all
// handlers get the route's error itself, not the canonical *Error; OnType
// handlers get the matching link.
func TestHandlersGetTheErrorAsReturned(t *testing.T) {
	link := &codedError{code: 418, msg: "teapot"}
	routeErr := fmt.Errorf("brew: %w", link)
	var got []error
	record := func(_ echo.Context, err error) error { got = append(got, err); return echoerr.Pass }
	f := newFixture(t,
		echoerr.OnType(func(_ echo.Context, e *codedError) error { got = append(got, e); return echoerr.Pass }),
		echoerr.OnCode(418, record),
		echoerr.OnRange(400, 499, record),
		echoerr.OnHTTPError(record),
		echoerr.OnAny(record),
	)
	f.failWith("/x", routeErr)
	rec := f.do(http.MethodGet, "/x")
	assert.Equal(t, http.StatusTeapot, rec.Code)
	require.Len(t, got, 5)
	assert.Same(t, link, got[0])
	for _, g := range got[1:] {
		assert.Equal(t, routeErr, g)
	}
}

// TestPrecedenceNothingMatchedRendersCanonical: with handlers registered
// that do not match, the canonical error is rendered.
func TestPrecedenceNothingMatchedRendersCanonical(t *testing.T) {
	tr := &tracer{}
	f := newFixture(t, echoerr.OnCode(500, tr.take("500")), echoerr.OnType(typed[*quotaError](tr, "type", nil)))
	rec := f.do(http.MethodGet, "/missing")
	assert.Empty(t, tr.Ran())
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "Not Found", decodeJSON(t, rec.Body)["name"])
}

// internalSetter is an interface *echo.HTTPError satisfies and that is not
// a status carrier, so OnType with it is rung 1.
type internalSetter interface {
	error
	WithInternal(error) *echo.HTTPError
}

// TestRungOneSeesEchoErrors: rung 1 decides once for Echo's own error type
// whether it has anything for it; that must not hide an OnError target that
// is an Echo error, or an interface handler an Echo error satisfies, from
// the router's 404 or a wrapped one.
func TestRungOneSeesEchoErrors(t *testing.T) {
	other := echoerr.OnType(typed[*codedError](&tracer{}, "unrelated", nil))
	t.Run("OnError with Echo's 404", func(t *testing.T) {
		for _, path := range []string{"/no/route", "/wrapped"} {
			tr := &tracer{}
			f := newFixture(t, other, echoerr.OnError(echo.ErrNotFound, tr.take("value")), echoerr.OnAny(tr.take("any")))
			f.failWith("/wrapped", fmt.Errorf("lookup: %w", echo.ErrNotFound))
			f.do(http.MethodGet, path)
			assert.Equal(t, []string{"value"}, tr.Ran(), path)
		}
	})
	t.Run("OnType with an interface Echo's error satisfies", func(t *testing.T) {
		tr := &tracer{}
		f := newFixture(t, other, echoerr.OnType(typed[internalSetter](tr, "iface", nil)), echoerr.OnAny(tr.take("any")))
		f.do(http.MethodGet, "/no/route")
		assert.Equal(t, []string{"iface"}, tr.Ran())
	})
	t.Run("nothing for it", func(t *testing.T) {
		tr := &tracer{}
		f := newFixture(t, other, echoerr.OnAny(tr.take("any")))
		f.do(http.MethodGet, "/no/route")
		assert.Equal(t, []string{"any"}, tr.Ran())
	})
}

// TestOnErrorFindsAWrapperAmongWrappers: rung 1 looks up a run of links of
// one type once (a chain of fmt wrappers); a target that is itself one of
// those wrappers, deep in the run, is still matched by value.
func TestOnErrorFindsAWrapperAmongWrappers(t *testing.T) {
	target := fmt.Errorf("load: %w", errors.New("disk"))
	err := fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", target)))
	tr := &tracer{}
	f := newFixture(t, echoerr.OnError(target, tr.take("value")), echoerr.OnAny(tr.take("any")))
	f.failWith("/x", err)
	f.do(http.MethodGet, "/x")
	assert.Equal(t, []string{"value"}, tr.Ran())
}
