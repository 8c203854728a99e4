package echoerr_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// TestMethodNotAllowedRestoredInsideGroupWithMiddleware: Echo v4 answers a
// wrong method inside a group that calls Use with 404, because the group's
// catch-all RouteNotFound routes win over the router's 405 (echo#1981).
// echoerr restores the 405 and the Allow header Echo would have sent, and
// handlers see echo.ErrMethodNotAllowed, as outside a group.
func TestMethodNotAllowedRestoredInsideGroupWithMiddleware(t *testing.T) {
	var seen []error
	f := newFixture(t, echoerr.OnAny(func(_ echo.Context, err error) error {
		seen = append(seen, err)
		return nil
	}))
	api := f.E.Group("/api", func(next echo.HandlerFunc) echo.HandlerFunc { return next })
	api.GET("/users", okHandler)
	api.PUT("/users", okHandler)
	api.GET("/users/:id", func(echo.Context) error { return echo.ErrNotFound }) // "no such user"
	api.PUT("/users/:id", okHandler)
	f.E.Host("admin.example").Group("/panel", func(next echo.HandlerFunc) echo.HandlerFunc { return next }).
		POST("/save", okHandler)

	cases := []struct {
		name, method, host, target string
		status                     int
		allow                      string
	}{
		{"wrong method on a group route", http.MethodPost, "", "/api/users", http.StatusMethodNotAllowed, "OPTIONS, GET, PUT"},
		{"HEAD is a method too", http.MethodHead, "", "/api/users", http.StatusMethodNotAllowed, "OPTIONS, GET, PUT"},
		{"unknown URL in the group stays 404", http.MethodGet, "", "/api/nope", http.StatusNotFound, ""},
		{"a route's own 404 stays 404", http.MethodGet, "", "/api/users/7", http.StatusNotFound, ""},
		{"OPTIONS is left to Echo", http.MethodOptions, "", "/api/users", http.StatusNotFound, ""},
		{"host router", http.MethodGet, "admin.example", "/panel/save", http.StatusMethodNotAllowed, "OPTIONS, POST"},
		{"unknown URL outside any group", http.MethodPost, "", "/elsewhere", http.StatusNotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seen = nil
			rec := request(f.E, tc.method, tc.host, tc.target)
			require.Equal(t, tc.status, rec.Code)
			assert.Equal(t, tc.allow, rec.Header().Get(echo.HeaderAllow))
			require.Len(t, seen, 1)
			if tc.status == http.StatusMethodNotAllowed {
				assert.Same(t, echo.ErrMethodNotAllowed, seen[0], "handlers see Echo's own 405")
			}
		})
	}
}
