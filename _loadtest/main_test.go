package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFloorWritesWhatEchoerrWrites keeps the floor honest: for the 404 and
// the 500 of the load test, and the 404 a browser gets (the built-in HTML
// page, and the user's own under customPrefix), on both faces, it answers with echoerr's
// status, headers and body, byte for byte; only where the bytes come from
// differs.
func TestFloorWritesWhatEchoerrWrites(t *testing.T) {
	for _, face := range []string{"v4", "v5"} {
		servers := map[string]http.Handler{"v4": serverV4("echoerr", nil), "v5": serverV5("echoerr", nil)}
		floors := map[string]http.Handler{"v4": serverV4("floor", nil), "v5": serverV5("floor", nil)}
		for _, tc := range []struct{ path, accept string }{{"/no/such/page", ""}, {"/fail", ""}, {"/no/such/page", browserAccept}, {customPrefix + "/no/such/page", browserAccept}} {
			t.Run(face+tc.path+"/accept="+tc.accept, func(t *testing.T) {
				got, want := httptest.NewRecorder(), httptest.NewRecorder()
				req := func() *http.Request {
					r := httptest.NewRequest(http.MethodGet, tc.path, nil)
					if tc.accept != "" {
						r.Header.Set("Accept", tc.accept)
					}
					return r
				}
				floors[face].ServeHTTP(got, req())
				servers[face].ServeHTTP(want, req())
				require.Contains(t, []int{404, 500}, want.Code)
				if tc.accept != "" {
					require.Equal(t, "text/html; charset=UTF-8", want.Header().Get("Content-Type"))
				}
				if strings.HasPrefix(tc.path, customPrefix) {
					require.Contains(t, want.Body.String(), "Example Shop", "the user's own page")
				}
				assert.Equal(t, want.Code, got.Code)
				assert.Equal(t, want.Header(), got.Header())
				assert.Equal(t, want.Body.String(), got.Body.String())
			})
		}
	}
}

// TestServersAnswerTheirRoutes: /ok is 200 and the error routes keep their
// statuses with every handler.
func TestServersAnswerTheirRoutes(t *testing.T) {
	for _, face := range []string{"v4", "v5"} {
		for _, handler := range []string{"default", "echoerr", "floor"} {
			s := serverV4(handler, nil)
			if face == "v5" {
				s = serverV5(handler, nil)
			}
			for path, code := range map[string]int{"/ok": 200, "/no/such/page": 404, "/fail": 500} {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				assert.Equal(t, code, rec.Code, "%s %s %s", face, handler, path)
			}
		}
	}
}
