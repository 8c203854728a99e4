package echoerr_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"

	"github.com/echoerr/echoerr"
)

// TestAllocationsPerError pins what handling the commonest errors costs in
// allocations, so that a change that puts the *Error or the exchange back on
// the heap shows up as a failure rather than as a slower benchmark. Three
// allocations are left: the request's state (what echoerr remembers of the
// request: the error handled and whether handling is under way, to handle
// each error once and never recursively; it holds the safety headers'
// values too, see setSafetyHeaders) and Echo's context store, where the
// state is kept, which Echo makes on the first c.Set of a request (a map:
// two allocations; an app whose middleware calls c.Set pays none).
func TestAllocationsPerError(t *testing.T) {
	report := echoerr.WithReporter(func(echo.Context, *echoerr.Error) {})
	for _, tc := range []struct {
		name     string
		renderer echoerr.Renderer
		err      error
		want     float64
		more     []echoerr.Option
	}{
		{"JSON routing 404", echoerr.JSON(), echo.ErrNotFound, 3, nil},
		{"JSON unknown 500", echoerr.JSON(), errors.New("pq: connection refused"), 3, nil},
		{"HTML routing 404", echoerr.HTML(), echo.ErrNotFound, 3, nil},
		// The default filter keeps the 404 from the reporter without copying it.
		{"JSON routing 404 with a reporter", echoerr.JSON(), echo.ErrNotFound, 3, []echoerr.Option{report}},
		// A reported error is copied once for the reporter, which may keep it.
		{"JSON unknown 500 with a reporter", echoerr.JSON(), errors.New("pq: connection refused"), 4, []echoerr.Option{report}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newBenchEcho()
			h := echoerr.New(append([]echoerr.Option{echoerr.WithLogger(quietLogger), echoerr.WithRenderer(tc.renderer)}, tc.more...)...)
			req := httptest.NewRequest(http.MethodGet, "/no/such/page", nil)
			w := &discardWriter{h: http.Header{}}
			run := func() {
				clear(w.h)
				c := e.AcquireContext()
				c.Reset(req, w)
				h(tc.err, c)
				e.ReleaseContext(c)
			}
			run() // warm the pools
			got := testing.AllocsPerRun(100, run)
			if raceEnabled {
				// sync.Pool drops items under the race detector, and its
				// runtime allocates now and then: the exact count is
				// checked by the plain test run, which CI runs too.
				assert.LessOrEqual(t, got, tc.want+2)
				return
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
