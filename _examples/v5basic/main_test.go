package main

import (
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testServer is the demo's server with Echo's logger silenced: the log
// lines are not under test.
func testServer(debug bool) *echo.Echo {
	e := newServer(debug)
	e.Logger = slog.New(slog.DiscardHandler)
	return e
}

func get(e *echo.Echo, path, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set(echo.HeaderAccept, accept)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestPrintedFactsAreWhatTheWireSays requests every URL the demo prints and
// checks the status and headers printed beside it, and what its note
// claims of the body.
func TestPrintedFactsAreWhatTheWireSays(t *testing.T) {
	body := map[string]struct{ has, hasNot []string }{
		"/nowhere":     {has: []string{`"description":"There is nothing at /nowhere. Try /."`}},
		"/bad-request": {has: []string{`"description":"The parameter 'limit' must be a number."`}},
		"/custom":      {has: []string{`"description":"No user id provided!"`, `"field":"user_id"`}},
		"/wrapped":     {has: []string{`"description":"That user name is taken."`}},
		"/unexpected":  {hasNot: []string{"db.internal", "load orders"}},
		"/panic":       {hasNot: []string{"order 7", "goroutine"}},
	}
	e := testServer(false)
	for _, c := range demoCases {
		t.Run(c.Path, func(t *testing.T) {
			rec := get(e, c.Path, "")
			require.Equal(t, c.Status, rec.Code, rec.Body.String())
			for _, h := range c.Header {
				assert.Equal(t, h[1], rec.Header().Get(h[0]), h[0])
			}
			assert.Equal(t, echo.MIMEApplicationJSON, rec.Header().Get(echo.HeaderContentType), "curl gets JSON")
			for _, s := range body[c.Path].has {
				assert.Contains(t, rec.Body.String(), s)
			}
			for _, s := range body[c.Path].hasNot {
				assert.NotContains(t, rec.Body.String(), s)
			}
		})
	}
}

// urlPaths returns the paths of the demo's URLs in text, in order.
func urlPaths(text, base string) []string {
	var paths []string
	for _, m := range regexp.MustCompile(regexp.QuoteMeta(base)+`(/[^\s"<]*)`).FindAllStringSubmatch(text, -1) {
		paths = append(paths, m[1])
	}
	return paths
}

func casePaths() []string {
	var paths []string
	for _, c := range demoCases {
		paths = append(paths, c.Path)
	}
	return paths
}

// TestEveryPrintedURLIsChecked keeps the printed list and the checked cases
// one and the same: no URL is printed that the test above does not request,
// and each is printed with its facts.
func TestEveryPrintedURLIsChecked(t *testing.T) {
	text := tryText(":8080")
	assert.Equal(t, append([]string{"/"}, casePaths()...), urlPaths(text, "http://localhost:8080"))
	for _, c := range demoCases {
		assert.Contains(t, text, "http://localhost:8080"+c.Path+" ")
		assert.Contains(t, text, c.facts())
	}
	assert.Contains(t, tryText("127.0.0.1:9000"), "http://127.0.0.1:9000/nowhere")
}

// TestHomePageLinksEveryURL checks that the home page links each URL the
// demo prints, with the same facts.
func TestHomePageLinksEveryURL(t *testing.T) {
	rec := get(testServer(false), "/", "text/html")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, rec.Header().Get(echo.HeaderContentType))
	var hrefs []string
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(rec.Body.String(), -1) {
		hrefs = append(hrefs, m[1])
	}
	assert.Equal(t, casePaths(), hrefs)
	for _, c := range demoCases {
		assert.Contains(t, rec.Body.String(), html.EscapeString(c.facts()))
	}
	assert.Contains(t, rec.Body.String(), "http://example.com/nowhere", "the URLs shown are the request's host's")
}

// TestBrowsersGetHTMLPages checks the promise at the top of the printed
// text: a browser gets an HTML page for each URL, with the same status.
func TestBrowsersGetHTMLPages(t *testing.T) {
	e := testServer(false)
	for _, c := range demoCases {
		rec := get(e, c.Path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
		assert.Equal(t, c.Status, rec.Code, c.Path)
		assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, rec.Header().Get(echo.HeaderContentType), c.Path)
		assert.Contains(t, rec.Body.String(), "<!DOCTYPE html>", c.Path)
	}
}

// TestDebugShowsChainsAndStacks checks the -debug promise.
func TestDebugShowsChainsAndStacks(t *testing.T) {
	e := testServer(true)
	rec := get(e, "/unexpected", "")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "db.internal:5432", "the error chain")
	rec = get(e, "/panic", "")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), `"stack":"goroutine`, "the panic's stack")
}
