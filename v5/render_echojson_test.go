package echoerr_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr/v5"
)

// TestEchoJSONMatchesEchoDefaultHTTPErrorHandler runs Echo v5's own test
// table for DefaultHTTPErrorHandler (ported in echojson_table_test.go) through
// echoerr with EchoJSON and debug = exposeError, and through Echo's real
// handler in the same run: status and body are equal byte for byte.
func TestEchoJSONMatchesEchoDefaultHTTPErrorHandler(t *testing.T) {
	for _, tc := range v5DefaultHandlerTable {
		t.Run(tc.name, func(t *testing.T) {
			echoRec := runV5DefaultCase(echo.DefaultHTTPErrorHandler(tc.exposeError), tc)
			require.Equal(t, tc.wantStatus, echoRec.Code, "Echo's own handler agrees with the table")
			require.Equal(t, tc.wantBody, echoRec.Body.String(), "Echo's own handler agrees with the table")

			rec := runV5DefaultCase(echoerr.New(echoerr.WithRenderer(echoerr.EchoJSON()), echoerr.WithDebug(tc.exposeError)), tc)
			assert.Equal(t, tc.wantStatus, rec.Code)
			assert.Equal(t, tc.wantBody, rec.Body.String())
			if tc.method != http.MethodHead {
				assert.Equal(t, echo.MIMEApplicationJSON, rec.Header().Get(echo.HeaderContentType))
			}
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"), "echoerr's safety headers")
		})
	}
}

// TestEchoJSONWhereEchoerrDecidesOtherwise: the statuses DESIGN.md sets
// apart from Echo's (an invalid status is a server bug: 500 with the default
// text; a bare DeadlineExceeded is 503), and the errors on which Echo's own
// handler panics, which echoerr answers with a safe 500.
func TestEchoJSONWhereEchoerrDecidesOtherwise(t *testing.T) {
	h := echoerr.New(echoerr.WithRenderer(echoerr.EchoJSON()))
	for _, tc := range v5DefaultHandlerJudgmentCalls {
		t.Run(tc.name, func(t *testing.T) {
			rec := runV5DefaultCase(h, tc)
			want := tc.wantStatus
			if tc.err == errContextDeadline {
				want = http.StatusServiceUnavailable
			}
			assert.Equal(t, want, rec.Code)
			assert.Equal(t, `{"message":"`+http.StatusText(want)+`"}`+"\n", rec.Body.String())
		})
	}
	for _, tc := range v5DefaultHandlerPanics {
		t.Run(tc.name, func(t *testing.T) {
			require.Panics(t, func() {
				runV5DefaultCase(echo.DefaultHTTPErrorHandler(false), v5DefaultHandlerCase{err: tc.err})
			}, "Echo's own handler panics")
			rec := runV5DefaultCase(h, v5DefaultHandlerCase{err: tc.err})
			assert.Equal(t, http.StatusInternalServerError, rec.Code)
			assert.Equal(t, `{"message":"Internal Server Error"}`+"\n", rec.Body.String())
		})
	}
}
