package echoerr_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Hostile inputs: what scanners, attackers and broken code send into an
// error handler. Each test names the input and proves the response stays
// well-formed, safe and logged once.

// requireOneLogRecord asserts that exactly one record was logged, at level,
// and returns its attributes.
func requireOneLogRecord(t *testing.T, f *fixture, level slog.Level) map[string]string {
	t.Helper()
	recs := f.Log.Records()
	require.Len(t, recs, 1, "one log record per error")
	require.Equal(t, level, recs[0].Level)
	return attrs(recs[0])
}

func TestHostileAcceptHeaders(t *testing.T) {
	for name, accept := range map[string]string{
		"garbage":        ";;;,,,q=q=q,\x00\x7f*/*/*;q=-1;q=NaN",
		"only params":    ";q=1;level=2",
		"huge q list":    strings.Repeat("text/html;q=0.1, ", 4000),
		"64 KB of slash": strings.Repeat("/", 64<<10),
		"64 KB one type": "application/" + strings.Repeat("x", 64<<10),
		"invalid UTF-8":  "text/\xff\xfe; q=\xc3",
		"nothing":        "",
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			rec := f.do(http.MethodGet, "/nope", "Accept: "+accept)
			require.Equal(t, http.StatusNotFound, rec.Code)
			checkErrorResponse(t, rec, http.MethodGet, false)
			requireOneLogRecord(t, f, slog.LevelInfo)
		})
	}
}

func TestHostileGarbageAcceptNegotiatesJSON(t *testing.T) {
	f := newFixture(t)
	for _, accept := range []string{";;;,,,q=q", strings.Repeat("text/html;q=0.1,", 4000), "\xff/\xfe", "*/html"} {
		rec := f.do(http.MethodGet, "/nope", "Accept: "+accept)
		require.Equal(t, http.StatusNotFound, rec.Code)
		checkErrorResponse(t, rec, http.MethodGet, false)
	}
}
