package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoAnswersEachAreaInItsFormat walks through the URLs the demo
// prints and checks that each area answers in its own format.
func TestDemoAnswersEachAreaInItsFormat(t *testing.T) {
	e := newServer(false)
	for _, tc := range []struct {
		method, path, auth string
		status             int
		contentType        string
		body               []string
		header             map[string]string
	}{
		{http.MethodGet, "/nowhere", "", http.StatusNotFound, "text/html", []string{"There is nothing at /nowhere."}, nil},
		{http.MethodGet, "/broken", "", http.StatusInternalServerError, "text/html", nil, nil},
		{http.MethodGet, "/api/nowhere", "", http.StatusNotFound, "application/problem+json",
			[]string{`"status":404`, `"detail":"There is nothing at /api/nowhere."`}, nil},
		{http.MethodGet, "/api/users/7", "", http.StatusNotFound, "application/problem+json",
			[]string{`There is no user \"7\".`}, nil},
		{http.MethodDelete, "/api/users", "", http.StatusMethodNotAllowed, "application/problem+json",
			[]string{`"status":405`}, map[string]string{"Allow": "OPTIONS, GET, POST"}},
		{http.MethodPost, "/api/users", "", http.StatusUnprocessableEntity, "application/problem+json",
			[]string{`"field":"name"`, `"detail":"A user needs a name."`}, nil},
		{http.MethodGet, "/admin/", "", http.StatusUnauthorized, "text/html", []string{"<title>Admin · 401"},
			map[string]string{"WWW-Authenticate": `basic realm="admin"`}},
		{http.MethodGet, "/admin/nowhere", "", http.StatusUnauthorized, "text/html", []string{"<title>Admin · 401"}, nil},
		{http.MethodGet, "/admin/nowhere", "admin:secret", http.StatusNotFound, "text/html",
			[]string{"<title>Admin · 404", "There is nothing at /admin/nowhere.", `href="/admin/"`}, nil},
		{http.MethodGet, "/admin/reports", "admin:secret", http.StatusInternalServerError, "text/html",
			[]string{"<title>Admin · 500", "on-call"}, nil},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			if user, pass, ok := strings.Cut(tc.auth, ":"); ok {
				req.SetBasicAuth(user, pass)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			assert.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), tc.contentType),
				"Content-Type %q", rec.Header().Get("Content-Type"))
			for _, b := range tc.body {
				assert.Contains(t, rec.Body.String(), b)
			}
			for k, v := range tc.header {
				assert.Equal(t, v, rec.Header().Get(k), k)
			}
		})
	}
}
