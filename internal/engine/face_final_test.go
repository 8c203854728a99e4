package engine

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFinalCountsAnInformationalStatusFollowedByBytesAsA200(t *testing.T) {
	for _, tc := range []struct {
		status    int
		committed bool
		size      int64
		want      int
		final     bool
	}{
		{200, false, 0, 200, false},
		{404, true, 0, 404, true},
		{103, true, 0, 103, false},  // Early Hints: the final response is still to come
		{103, true, 12, 200, true},  // bytes after it went out with a 200
		{117, true, 5, 200, true},   // any informational status
		{101, true, 0, 101, true},   // Switching Protocols ends HTTP
		{103, false, 0, 103, false}, // not written at all
	} {
		t.Run(fmt.Sprintf("%d/committed=%v/size=%d", tc.status, tc.committed, tc.size), func(t *testing.T) {
			got, final := Final(tc.status, tc.committed, tc.size)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.final, final)
		})
	}
}
