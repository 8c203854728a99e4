package echoerr_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// TestBenchmarkFloorWritesWhatEchoerrWrites checks that the benchmarks'
// floor handler is a fair limit: for the 404 and the 500 it compares with,
// it writes the same status, headers and body as echoerr in the
// benchmarks' configuration, through the benchmarks' own harness.
func TestBenchmarkFloorWritesWhatEchoerrWrites(t *testing.T) {
	for _, tc := range []struct {
		code int
		err  error
	}{
		{http.StatusNotFound, echo.ErrNotFound},
		{http.StatusInternalServerError, errors.New("pq: connection refused")},
	} {
		t.Run(http.StatusText(tc.code), func(t *testing.T) {
			run := func(h echo.HTTPErrorHandler) *httptest.ResponseRecorder {
				e := newBenchEcho()
				rec := httptest.NewRecorder()
				c := e.NewContext(httptest.NewRequest(http.MethodGet, "/x", nil), rec)
				h(tc.err, c)
				return rec
			}
			want := run(echoerr.New(echoerr.WithLogger(quietLogger), echoerr.WithRenderer(echoerr.JSON())))
			got := run(floorHandler(tc.code))
			require.Equal(t, tc.code, want.Code)
			assert.Equal(t, want.Code, got.Code)
			assert.Equal(t, want.Header(), got.Header())
			assert.Equal(t, want.Body.String(), got.Body.String())
		})
	}
}
