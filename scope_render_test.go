package echoerr_test

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// TestBuiltinRenderersPerScope: an HTML site, a problem+json API, an admin
// area with its own templates and a text-only status host, each answering
// routing and route errors in its own format.
func TestBuiltinRenderersPerScope(t *testing.T) {
	adminPages := fstest.MapFS{
		"4xx.html": {Data: []byte(`<!DOCTYPE html><title>Admin {{.Code}}</title><p>{{.Description}}</p>`)},
	}
	e := echo.New()
	e.HTTPErrorHandler = echoerr.New(quiet(),
		echoerr.WithRenderer(echoerr.HTML()),
		echoerr.Group("/api", echoerr.WithRenderer(echoerr.Problem()),
			echoerr.Group("/v1", echoerr.OnAny(func(echo.Context, error) error { return nil }))),
		echoerr.Group("/admin", echoerr.WithRenderer(echoerr.HTML(echoerr.TemplateFS(adminPages)))),
		echoerr.Host("status.example.com", echoerr.WithRenderer(echoerr.Text())),
	)
	e.GET("/api/users", okHandler)
	e.GET("/admin/secret", func(echo.Context) error { return echoerr.Forbidden("Admins only <3.") })

	for _, tc := range []struct {
		method, host, path string
		status             int
		contentType        string
		body               string
	}{
		{http.MethodGet, "", "/nope", http.StatusNotFound, "text/html", "<html"},
		{http.MethodGet, "", "/api/nope", http.StatusNotFound, "application/problem+json", `"status":404`},
		{http.MethodGet, "", "/api/v1/nope", http.StatusNotFound, "application/problem+json", `"instance":"/api/v1/nope"`},
		{http.MethodPost, "", "/api/users", http.StatusMethodNotAllowed, "application/problem+json", `"title":"Method Not Allowed"`},
		{http.MethodGet, "", "/admin/nope", http.StatusNotFound, "text/html", "<title>Admin 404</title>"},
		{http.MethodGet, "", "/admin/secret", http.StatusForbidden, "text/html", "<p>Admins only &lt;3.</p>"},
		{http.MethodGet, "status.example.com", "/api/nope", http.StatusNotFound, "text/plain", "404 Not Found\n"},
	} {
		rec := request(e, tc.method, tc.host, tc.path)
		what := tc.method + " " + tc.host + tc.path
		require.Equal(t, tc.status, rec.Code, what)
		assert.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), tc.contentType), "%s: %s", what, rec.Header().Get("Content-Type"))
		assert.Contains(t, rec.Body.String(), tc.body, what)
	}
	rec := request(e, http.MethodPost, "", "/api/users")
	assert.Equal(t, "OPTIONS, GET", rec.Header().Get("Allow"))
}
