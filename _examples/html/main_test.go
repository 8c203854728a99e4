package main

import (
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler)) // the demo's log lines: not under test
	os.Exit(m.Run())
}

const acceptBrowser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func get(e *echo.Echo, path, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set(echo.HeaderAccept, accept)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestPrintedFactsAreWhatTheWireSays requests every URL the demo prints, as
// a browser and as curl, and checks the status printed beside it, the
// format of each area and what its note claims of the page.
func TestPrintedFactsAreWhatTheWireSays(t *testing.T) {
	page := map[string][]string{
		"/nope":             {"<title>Page not found · Acme Shop</title>", "We could not find <code>/nope</code>"},
		"/boom":             {"· Acme Shop</title>", "try again in a few moments"},
		"/panic":            {"· Acme Shop</title>"},
		"/teapot":           {"<title>418 I&#39;m a teapot · Acme Shop</title>"},
		"/users/7":          {"There is no user with id 7.", "· Acme Shop</title>"},
		"/checkout":         {"· Acme Shop</title>", "one item is over its limit"},
		"/api/users/7":      {`"detail":"There is no user with id 7."`},
		"/api/boom":         {`"status":500`},
		"/builtin/nope":     {"<title>404 Not Found</title>"},
		"/builtin/boom":     {"<title>500 Internal Server Error</title>"},
		"/builtin/checkout": {"<title>422 Unprocessable Entity</title>", `<dl class="ext">`, "sku-1042"},
	}
	e := newServer(false)
	for _, c := range demoCases {
		t.Run(c.Path, func(t *testing.T) {
			browser, curl := get(e, c.Path, acceptBrowser), get(e, c.Path, "*/*")
			require.Equal(t, c.Status, browser.Code)
			require.Equal(t, c.Status, curl.Code)
			switch {
			case strings.HasPrefix(c.Path, "/api/"):
				assert.Equal(t, "application/problem+json", browser.Header().Get(echo.HeaderContentType))
				assert.Equal(t, "application/problem+json", curl.Header().Get(echo.HeaderContentType))
			case strings.HasPrefix(c.Path, "/builtin/"):
				assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, browser.Header().Get(echo.HeaderContentType))
				assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, curl.Header().Get(echo.HeaderContentType))
				assert.NotContains(t, browser.Body.String(), "Acme Shop", "the built-in layout")
			default:
				assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, browser.Header().Get(echo.HeaderContentType))
				assert.Equal(t, echo.MIMEApplicationJSON, curl.Header().Get(echo.HeaderContentType))
			}
			want, ok := page[c.Path]
			require.True(t, ok, "every case has its page checked")
			for _, s := range want {
				assert.Contains(t, browser.Body.String(), s)
			}
			assert.NotContains(t, browser.Body.String(), "connection refused")
			assert.NotContains(t, browser.Body.String(), "order book")
		})
	}
}

// TestEveryPrintedURLIsChecked keeps the printed list and the checked cases
// one and the same.
func TestEveryPrintedURLIsChecked(t *testing.T) {
	text := tryText("127.0.0.1:8080", false)
	var printed, cases []string
	for _, m := range regexp.MustCompile(`http://127\.0\.0\.1:8080(/\S*)`).FindAllStringSubmatch(text, -1) {
		printed = append(printed, m[1])
	}
	for _, c := range demoCases {
		cases = append(cases, c.Path)
		assert.Regexp(t, regexp.QuoteMeta("http://127.0.0.1:8080"+c.Path)+` +`+regexp.QuoteMeta(c.facts()+"\n"), text)
	}
	assert.Equal(t, append([]string{"/"}, cases...), printed)
}

// TestHomePageLinksEveryURL checks that the home page links each URL the
// demo prints.
func TestHomePageLinksEveryURL(t *testing.T) {
	rec := get(newServer(false), "/", acceptBrowser)
	require.Equal(t, http.StatusOK, rec.Code)
	var hrefs, want []string
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(rec.Body.String(), -1) {
		hrefs = append(hrefs, m[1])
	}
	for _, c := range demoCases {
		want = append(want, c.Path)
		assert.Contains(t, rec.Body.String(), html.EscapeString(c.facts()))
	}
	assert.Equal(t, want, hrefs)
}

// TestDebugPagesShowTheChainAndTheStack checks the -debug promise.
func TestDebugPagesShowTheChainAndTheStack(t *testing.T) {
	e := newServer(true)
	rec := get(e, "/builtin/boom", acceptBrowser)
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "load dashboard: connection refused")
	rec = get(e, "/panic", acceptBrowser)
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "inventory: order book not loaded")
	assert.Contains(t, rec.Body.String(), "goroutine")
	// The demo's layout says nothing of debug mode: the renderer adds the
	// section, once, and its style.
	assert.Equal(t, 1, strings.Count(rec.Body.String(), `<section class="debug" id="echoerr-debug"`))
	assert.Equal(t, 1, strings.Count(rec.Body.String(), `<style id="echoerr-debug-style">`))
}
