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

func do(e *echo.Echo, c demoCase, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(c.Method, c.Path, nil)
	if user, pass, ok := strings.Cut(c.Auth, ":"); ok {
		req.SetBasicAuth(user, pass)
	}
	if accept != "" {
		req.Header.Set(echo.HeaderAccept, accept)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestPrintedFactsAreWhatTheWireSays sends every request the demo prints
// and checks the status, media type and headers printed beside it, and
// what its note claims of the body.
func TestPrintedFactsAreWhatTheWireSays(t *testing.T) {
	body := map[string]struct{ has, hasNot []string }{
		"GET /nowhere":       {has: []string{"There is nothing at /nowhere."}},
		"GET /broken":        {hasNot: []string{"db.internal", "render home"}},
		"GET /api/nowhere":   {has: []string{`"status":404`, `"detail":"There is nothing at /api/nowhere."`}},
		"GET /api/users/7":   {has: []string{`"detail":"There is no user \"7\"."`}},
		"POST /api/users/7":  {has: []string{`"status":405`}},
		"POST /api/users":    {has: []string{`"field":"name"`, `"detail":"A user needs a name."`}},
		"GET /admin/":        {has: []string{"<title>Admin · 401"}},
		"GET /admin/nowhere": {has: []string{"<title>Admin · 404", "There is nothing at /admin/nowhere.", `href="/admin/"`}},
		"GET /admin/reports": {has: []string{"<title>Admin · 500", "on-call"}, hasNot: []string{"db.internal"}},
	}
	e := newServer(false)
	for _, c := range demoCases {
		t.Run(c.Method+" "+c.Path, func(t *testing.T) {
			rec := do(e, c, "")
			require.Equal(t, c.Status, rec.Code, rec.Body.String())
			assert.True(t, strings.HasPrefix(rec.Header().Get(echo.HeaderContentType), c.Type),
				"Content-Type %q", rec.Header().Get(echo.HeaderContentType))
			for _, h := range c.Header {
				assert.Equal(t, h[1], rec.Header().Get(h[0]), h[0])
			}
			want, ok := body[c.Method+" "+c.Path]
			require.True(t, ok, "every case has its body checked")
			for _, s := range want.has {
				assert.Contains(t, rec.Body.String(), s)
			}
			for _, s := range want.hasNot {
				assert.NotContains(t, rec.Body.String(), s)
			}
		})
	}
}

// TestEveryAdminURLNeedsTheLogin checks the note of the admin area: without
// the password, every URL under /admin, known or not, is the 401.
func TestEveryAdminURLNeedsTheLogin(t *testing.T) {
	e := newServer(false)
	for _, c := range demoCases {
		if c.Area != areaAdmin {
			continue
		}
		c.Auth = ""
		rec := do(e, c, "")
		assert.Equal(t, http.StatusUnauthorized, rec.Code, c.Path)
		assert.Contains(t, rec.Body.String(), "<title>Admin · 401", c.Path)
	}
}

// TestEveryPrintedURLIsChecked keeps the printed list and the checked cases
// one and the same: no URL is printed that the test above does not
// request, and each is printed with its command and facts.
func TestEveryPrintedURLIsChecked(t *testing.T) {
	text := tryText(":8080")
	var printed, cases []string
	for _, m := range regexp.MustCompile(`http://localhost:8080(/\S*)`).FindAllStringSubmatch(text, -1) {
		printed = append(printed, m[1])
	}
	for _, c := range demoCases {
		cases = append(cases, c.Path)
		assert.Contains(t, text, c.command("http://localhost:8080")+"\n        "+c.facts()+" — "+c.Note+"\n")
	}
	assert.Equal(t, append([]string{"/"}, cases...), printed)
	assert.Contains(t, text, "curl -i -X POST http://localhost:8080/api/users\n")
	assert.Contains(t, text, "curl -i -u admin:secret http://localhost:8080/admin/reports\n")
}

// TestHomePageLinksEveryURL checks that the home page links each request
// the demo prints (a form for a POST), with the same facts.
func TestHomePageLinksEveryURL(t *testing.T) {
	rec := do(newServer(false), demoCase{Method: http.MethodGet, Path: "/"}, "text/html")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, echo.MIMETextHTMLCharsetUTF8, rec.Header().Get(echo.HeaderContentType))
	page := rec.Body.String()
	var linked, want []string
	for _, m := range regexp.MustCompile(`<a href="([^"]*)"|<form method="([a-z]+)" action="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if m[1] != "" {
			linked = append(linked, "GET "+m[1])
		} else {
			linked = append(linked, strings.ToUpper(m[2])+" "+m[3])
		}
	}
	for _, c := range demoCases {
		want = append(want, c.Method+" "+c.Path)
		assert.Contains(t, page, html.EscapeString(c.facts()))
	}
	assert.Equal(t, want, linked)
}

// TestDebugShowsChains checks the -debug promise.
func TestDebugShowsChains(t *testing.T) {
	rec := do(newServer(true), demoCases[1], "")
	require.Equal(t, "/broken", demoCases[1].Path)
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "db.internal:5432")
}
