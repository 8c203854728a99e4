package echoerr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCapsOfKnownCarriersMatchesAssertion checks the shortcut capsOf takes
// for Echo's and echoerr's own error types against asking each interface.
func TestCapsOfKnownCarriersMatchesAssertion(t *testing.T) {
	for _, err := range []error{
		echo.ErrNotFound,
		echo.NewHTTPError(http.StatusConflict, "x").WithInternal(errors.New("cause")),
		(*echo.HTTPError)(nil),
		&Error{Code: http.StatusTeapot},
		(*Error)(nil),
	} {
		assert.Equal(t, capsByAssertion(err), capsOf(err), "%T", err)
	}
}

type internalCycle struct{ next error }

func (e *internalCycle) Error() string { return "cycle" }
func (e *internalCycle) Unwrap() error { return e.next }

type internalPanicky struct{}

func (*internalPanicky) Error() string { return "panicky" }
func (*internalPanicky) Unwrap() error { panic("Unwrap panicked") }

// TestChainViewsAgreeWithTheWalk checks that the flattened views the hot
// path iterates (one link, a line of links, or the general walk into a
// buffer) list the same links, with the same capabilities, as walkChain.
func TestChainViewsAgreeWithTheWalk(t *testing.T) {
	deep := error(echo.NewHTTPError(http.StatusConflict, "deep"))
	for i := range 40 {
		deep = fmt.Errorf("layer %d: %w", i, deep)
	}
	cycle := &internalCycle{}
	cycle.next = &internalCycle{next: cycle}
	chains := map[string]error{
		"echo error":          echo.ErrNotFound,
		"echo error internal": echo.NewHTTPError(http.StatusBadGateway).WithInternal(errors.New("upstream")),
		"plain":               errors.New("plain"),
		"own error":           &Error{Code: http.StatusTeapot},
		"own error wrapping":  &Error{Code: http.StatusTeapot, Err: context.Canceled},
		"wrapped 3":           fmt.Errorf("a: %w", fmt.Errorf("b: %w", echo.ErrForbidden)),
		"joined":              errors.Join(errors.New("x"), fmt.Errorf("y: %w", echo.ErrConflict)),
		"join inside wrap":    fmt.Errorf("outer: %w", errors.Join(errors.New("x"), echo.ErrConflict)),
		"deeper than buffer":  deep,
		"cycle":               cycle,
		"panicking unwrap":    fmt.Errorf("outer: %w", &internalPanicky{}),
		"typed nil carrier":   fmt.Errorf("outer: %w", (*echo.HTTPError)(nil)),
	}
	for name, err := range chains {
		t.Run(name, func(t *testing.T) {
			var want []link
			complete := !walkChain(err, func(l link) bool {
				if len(want) == 16 {
					return true
				}
				want = append(want, l)
				return false
			})
			var buf [16]link
			v := viewChain(err, buf[:0])
			assert.Equal(t, complete, v.complete, "complete")
			if complete {
				require.Len(t, v.links, len(want))
				for i := range want {
					assert.Equal(t, want[i].err, v.links[i].err, "link %d", i)
					assert.Equal(t, want[i].caps, v.links[i].caps, "caps of link %d", i)
				}
			}
			for i, l := range v.links { // runs of one type are counted on their first link
				for j := i + 1; j <= i+int(l.more); j++ {
					assert.Equal(t, reflect.TypeOf(l.err), reflect.TypeOf(v.links[j].err), "run of link %d", i)
					assert.Zero(t, v.links[j].more, "a run inside a run at link %d", j)
				}
				if next := i + int(l.more) + 1; l.caps&capSameType == 0 && next < len(v.links) {
					assert.NotEqual(t, reflect.TypeOf(l.err), reflect.TypeOf(v.links[next].err), "run of link %d ends early", i)
				}
			}
			var one [1]link
			if single := viewSingle(err, one[:]); single.complete {
				require.Len(t, want, 1, "viewSingle claims a one-link chain")
				assert.Equal(t, want[0].err, single.links[0].err)
				// It may drop capUnwrap from a carrier that wraps nothing.
				assert.Equal(t, want[0].caps&^capUnwrap, single.links[0].caps&^capUnwrap)
			}
		})
	}
}
