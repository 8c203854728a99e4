package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// get serves one request.
func get(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// stormCounts answers GET /_storm.
func stormCounts(t *testing.T, h http.Handler) counts {
	rec := get(h, "/_storm")
	require.Equal(t, http.StatusOK, rec.Code)
	var n counts
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &n))
	return n
}

// TestStormModeAddsUp floods the storm mode's servers in process, limits
// on and off, with each of scripts/storm's cases on a small scale.
func TestStormModeAddsUp(t *testing.T) {
	paths := map[string]func(i int) string{
		"same404": func(int) string { return "/no/such/page" },
		"fail8":   func(i int) string { return "/fail/" + strconv.Itoa(i%failRoutes) },
		"random":  func(i int) string { return "/x" + name(i) + "/y" },
		"files":   func(i int) string { return "/files/" + name(i) },
	}
	const n = 1500
	for _, face := range []string{"v4", "v5"} {
		for _, limits := range []bool{false, true} {
			for kind, path := range paths {
				t.Run(face+"/"+kind+"/limits="+strconv.FormatBool(limits), func(t *testing.T) {
					st := &stormMode{limits: limits}
					s := serverV4("echoerr", st)
					if face == "v5" {
						s = serverV5("echoerr", st)
					}
					h := withStorm(s, st)
					start := time.Now()
					assert.Greater(t, stormCounts(t, h).HeapInuse, uint64(0))
					for i := range n {
						require.Contains(t, []int{404, 500}, get(h, path(i)).Code)
					}
					end := time.Now()
					got := stormCounts(t, h)
					assert.True(t, got.AddUp, "%+v", got)
					assert.Equal(t, int64(n), got.Errors)
					if kind == "fail8" {
						assert.Equal(t, int64(n), got.Reportable)
					}
					if !limits {
						assert.Equal(t, got.Errors, got.Records, "every error in full")
						assert.Equal(t, got.Reportable, got.Reports)
						assert.Zero(t, got.Summaries)
						return
					}
					if start.Truncate(time.Minute) != end.Truncate(time.Minute) {
						return // a new window: the limits started over
					}
					want := map[string]int64{"same404": 3, "fail8": 8 * 10, "random": 3, "files": 1000 + 3}
					assert.Equal(t, want[kind], got.Records, "the recommended limits: 3 records of a 4xx, 10 of a 5xx, per fingerprint")
					if kind == "files" {
						assert.Equal(t, int64(n-1003), got.OtherLeftOut, "past 1000 fingerprints, under other")
					}
				})
			}
		}
	}
}

// name is i in letters: a fingerprint does not mask it.
func name(i int) string {
	b := []byte("aaaa")
	for j := len(b) - 1; j >= 0; j-- {
		b[j] += byte(i % 26)
		i /= 26
	}
	return string(b)
}
