package engine

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestRetryAfterIsWholeSecondsRoundedUpAndAtMostAYear: WithRetryAfter (the
// faces' TooManyRequests and ServiceUnavailable) sends Retry-After in whole
// seconds, rounded up; no header for a delay that is not positive, and at
// most a year, so that a huge duration never wraps into a negative or
// absurd number.
func TestRetryAfterIsWholeSecondsRoundedUpAndAtMostAYear(t *testing.T) {
	for _, tc := range []struct {
		delay time.Duration
		want  string
	}{
		{-time.Second, ""},
		{math.MinInt64, ""},
		{0, ""},
		{time.Nanosecond, "1"},
		{1500 * time.Millisecond, "2"},
		{time.Hour, "3600"},
		{366 * 24 * time.Hour, "31536000"},
		{math.MaxInt64, "31536000"},
		{math.MaxInt64 - time.Millisecond, "31536000"},
	} {
		for _, code := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
			e := WithRetryAfter(code, "", tc.delay)
			assert.Equal(t, tc.want, e.Header.Get("Retry-After"), "WithRetryAfter(%d, %v)", code, tc.delay)
			assert.Equal(t, code, e.Code)
		}
	}
}
