package echoerr_test

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// htmlFixture is a fixture whose renderer is HTML(opts...).
func htmlFixture(t *testing.T, opts ...echoerr.HTMLOption) *fixture {
	t.Helper()
	return newFixture(t, echoerr.WithRenderer(echoerr.HTML(opts...)))
}

// page is a user template file that names itself, so a test can tell which
// file answered.
func page(name string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("user " + name + ": {{.Code}} {{.Name}} | {{.Description}}")}
}

func TestHTMLDefault404PageIsAccessibleAndSelfContained(t *testing.T) {
	f := htmlFixture(t)
	rec := f.do(http.MethodGet, "/nope")

	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "text/html; charset=UTF-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	body := rec.Body.String()
	assert.True(t, strings.HasPrefix(body, "<!DOCTYPE html>\n<html lang=\"en\">"), body[:40])
	assert.Contains(t, body, "<title>404 Not Found</title>")
	assert.Equal(t, 1, strings.Count(body, "<h1"), "exactly one h1")
	assert.Contains(t, body, `<h1><span class="code">404</span> <span class="name">Not Found</span></h1>`)
	assert.Contains(t, body, "The requested URL was not found on this server.")
	assert.Contains(t, body, `<meta name="viewport" content="width=device-width, initial-scale=1">`)
	assert.Contains(t, body, "@media (prefers-color-scheme:dark)")
	assert.Contains(t, body, `<a class="home" href="/">`)
	assert.NotContains(t, body, "<script", "no JavaScript")
	assert.NotRegexp(t, regexp.MustCompile(`(?i)(src|href)="(https?:)?//`), body, "no external assets")
	assert.NotRegexp(t, regexp.MustCompile(`(?i)@import|url\(`), body, "no CSS imports")
	assert.NotContains(t, body, "Debug information", "no debug section outside debug mode")
}

func TestHTMLBuiltinPagesPerStatus(t *testing.T) {
	f := htmlFixture(t)
	f.failWith("/boom", errors.New("secret database detail"))
	f.failWith("/teapot", echo.NewHTTPError(http.StatusTeapot))
	f.failWith("/gateway", echo.NewHTTPError(http.StatusBadGateway))

	rec := f.do(http.MethodGet, "/boom")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "<title>500 Internal Server Error</title>")
	assert.Contains(t, rec.Body.String(), "try again in a few moments", "built-in 5xx.html")
	assert.NotContains(t, rec.Body.String(), "secret database detail")

	rec = f.do(http.MethodGet, "/gateway")
	require.Equal(t, http.StatusBadGateway, rec.Code)
	assert.Contains(t, rec.Body.String(), "try again in a few moments", "built-in 5xx.html serves every 5xx")

	rec = f.do(http.MethodGet, "/teapot")
	require.Equal(t, http.StatusTeapot, rec.Code)
	assert.Contains(t, rec.Body.String(), "<title>418 I&#39;m a teapot</title>", "built-in error.html, escaped name")
	assert.NotContains(t, rec.Body.String(), "try again in a few moments")
	assert.NotContains(t, rec.Body.String(), "check it for mistakes")
}

func TestHTMLTemplateLookupUserFilesFirst(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		code  int
		want  string // user file name, or a phrase of a built-in page
	}{
		{"user exact page", []string{"404.html", "4xx.html", "error.html"}, 404, "user 404.html"},
		{"user class page beats built-in 404.html", []string{"4xx.html", "error.html"}, 404, "user 4xx.html"},
		{"user error.html beats built-in 404.html", []string{"error.html"}, 404, "user error.html"},
		{"user error.html beats built-in 5xx.html", []string{"error.html"}, 500, "user error.html"},
		{"user class page of another class does not apply", []string{"4xx.html"}, 500, "try again in a few moments"},
		{"user page for another status does not apply", []string{"403.html"}, 404, "check it for mistakes"},
		{"user exact page for a 5xx", []string{"503.html", "5xx.html"}, 503, "user 503.html"},
		{"no user page: built-in 404.html", []string{"partial.html"}, 404, "check it for mistakes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, name := range tc.files {
				fsys[name] = page(name)
			}
			f := htmlFixture(t, echoerr.TemplateFS(fsys))
			f.failWith("/x", echoerr.NewError(tc.code, ""))
			rec := f.do(http.MethodGet, "/x")
			require.Equal(t, tc.code, rec.Code)
			assert.Contains(t, rec.Body.String(), tc.want)
		})
	}
}

func TestHTMLUserPageGetsTheData(t *testing.T) {
	fsys := fstest.MapFS{"404.html": {Data: []byte(
		`{{.Code}}|{{.Name}}|{{.Description}}|{{.Extensions.shelf}}|{{.RequestID}}|{{.Home}}|{{.Path}}|{{if .Debug}}debug{{else}}nodebug{{end}}`)}}
	f := htmlFixture(t, echoerr.TemplateFS(fsys), echoerr.HomeLink("/start"))
	f.E.GET("/books/:id", func(c echo.Context) error {
		return &echoerr.Error{Code: http.StatusNotFound, Description: "No such book.", Extensions: map[string]any{"shelf": "B2"}}
	})
	rec := f.do(http.MethodGet, "/books/9", "X-Request-ID: req-42")
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "404|Not Found|No such book.|B2|req-42|/start|/books/9|nodebug", rec.Body.String())
}

func TestHTMLUserLayoutReplacesBuiltinLayout(t *testing.T) {
	fsys := fstest.MapFS{
		"layout.html": {Data: []byte(`<main class="mine">{{block "content" .}}{{.Description}}{{end}}</main>`)},
	}
	f := htmlFixture(t, echoerr.TemplateFS(fsys))
	rec := f.do(http.MethodGet, "/nope")
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.True(t, strings.HasPrefix(rec.Body.String(), `<main class="mine"><p>The requested URL`), rec.Body.String())
	assert.Contains(t, rec.Body.String(), "check it for mistakes", "the built-in 404.html content in the user's layout")
	assert.NotContains(t, rec.Body.String(), "<style>")
}

func TestHTMLUserPageExtendsBuiltinLayout(t *testing.T) {
	fsys := fstest.MapFS{
		"404.html": {Data: []byte(`{{template "layout.html" .}}{{define "content"}}<p class="lost">Lost {{.Path}}</p>{{end}}`)},
	}
	f := htmlFixture(t, echoerr.TemplateFS(fsys))
	rec := f.do(http.MethodGet, "/a<b")
	require.Equal(t, http.StatusNotFound, rec.Code)
	body := rec.Body.String()
	assert.Contains(t, body, "<title>404 Not Found</title>")
	assert.Contains(t, body, `<p class="lost">Lost /a&lt;b</p>`)
}

func TestHTMLEscapesErrorText(t *testing.T) {
	f := htmlFixture(t)
	f.failWith("/x", echo.NewHTTPError(http.StatusBadRequest, `<script>alert("x")</script>`))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.NotContains(t, rec.Body.String(), "<script>")
	assert.Contains(t, rec.Body.String(), "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
}

func TestHTMLHomeLink(t *testing.T) {
	rec := htmlFixture(t, echoerr.HomeLink("")).do(http.MethodGet, "/nope")
	assert.NotContains(t, rec.Body.String(), `class="home"`, "empty HomeLink removes the link")

	rec = htmlFixture(t, echoerr.HomeLink("/shop/")).do(http.MethodGet, "/nope")
	assert.Contains(t, rec.Body.String(), `<a class="home" href="/shop/">`)

	rec = htmlFixture(t, echoerr.HomeLink("javascript:alert(1)")).do(http.MethodGet, "/nope")
	assert.NotContains(t, rec.Body.String(), "javascript:", "html/template filters unsafe URLs")
}

func TestHTMLHeadHasNoBody(t *testing.T) {
	rec := htmlFixture(t).do(http.MethodHead, "/nope")
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Empty(t, rec.Body.String())
	assert.Equal(t, "text/html; charset=UTF-8", rec.Header().Get("Content-Type"))
}

func TestHTMLDebugPageShowsChainStackAndRedactedRequest(t *testing.T) {
	f := newFixture(t, echoerr.WithDebug(true), echoerr.WithRenderer(echoerr.HTML()))
	f.failWith("/wrapped", fmt.Errorf("load user: %w", errors.New("connection refused")))
	f.E.GET("/panic", func(c echo.Context) error { panic(errors.New("kaboom")) }, echoerr.Recover())

	rec := f.do(http.MethodGet, "/wrapped?q=1",
		"Authorization: Bearer tok-SECRET", "Cookie: session=cookie-SECRET", "Accept: text/html")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	body := rec.Body.String()
	assert.Equal(t, 1, strings.Count(body, "<h1"), "exactly one h1 on the debug page")
	assert.Contains(t, body, `<p class="etype"><code>*fmt.wrapError</code> wrapping <code>*errors.errorString</code></p>
<h2 id="echoerr-debug-title">load user: connection refused</h2>`, "the page leads with the error")
	assert.Contains(t, body, "<li><code>*fmt.wrapError</code> load user: connection refused</li>")
	assert.Contains(t, body, "<li><code>*errors.errorString</code> connection refused</li>")
	assert.Contains(t, body, "GET /wrapped?q=1 HTTP/1.1")
	assert.Contains(t, body, "Authorization: [redacted]")
	assert.Contains(t, body, "Cookie: [redacted]")
	assert.Contains(t, body, "Accept: text/html")
	assert.NotContains(t, body, "SECRET")
	assert.NotContains(t, body, "<h3>Stack</h3>", "no stack section for an error without one")

	rec = f.do(http.MethodGet, "/panic")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "<h3>Stack</h3>")
	assert.Contains(t, rec.Body.String(), "goroutine ")
	assert.Contains(t, rec.Body.String(), "kaboom")
}

func TestHTMLBrokenTemplatePanicsAtConstruction(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		panic string
	}{
		{"parse error in a page", fstest.MapFS{"404.html": {Data: []byte("{{.Code")}}, "TemplateFS template 404.html"},
		{"parse error in the layout", fstest.MapFS{"layout.html": {Data: []byte("{{end}}")}}, "TemplateFS template layout.html"},
		{"call of an undefined template", fstest.MapFS{"500.html": {Data: []byte(`{{template "nope.html" .}}`)}}, "500.html"},
		{"escaper rejects the page", fstest.MapFS{"4xx.html": {Data: []byte(`<a href="{{.Home}}>home</a>`)}}, "4xx.html"},
		{"no .html files at the root", fstest.MapFS{"templates/404.html": page("404.html")}, "fs.Sub"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				p := recover()
				require.NotNil(t, p, "HTML must panic")
				assert.Contains(t, fmt.Sprint(p), tc.panic)
				assert.Contains(t, fmt.Sprint(p), "echoerr: HTML")
			}()
			echoerr.HTML(echoerr.TemplateFS(tc.fsys))
		})
	}
}

func TestHTMLExecutionErrorAnswersMinimalPageAndLogs(t *testing.T) {
	fsys := fstest.MapFS{"404.html": {Data: []byte(`<p>partial page</p>{{fail}}`)}}
	funcs := template.FuncMap{"fail": func() (string, error) { return "", errors.New("template func failed") }}
	f := htmlFixture(t, echoerr.TemplateFS(fsys), echoerr.TemplateFuncs(funcs))

	rec := f.do(http.MethodGet, "/nope")
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "404 Not Found\n", rec.Body.String(), "nothing of the failed page is sent")
	assert.Equal(t, "text/plain; charset=UTF-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	recs := f.Log.Records()
	require.Len(t, recs, 1)
	assert.Contains(t, attrs(recs[0])["render_error"], "template func failed")
	assert.Contains(t, attrs(recs[0])["render_error"], "404.html")

	rec = f.do(http.MethodGet, "/nope2")
	assert.Equal(t, "404 Not Found\n", rec.Body.String(), "the page keeps failing safely")
}

// stackTracer is an error with a github.com/pkg/errors style StackTrace.
type stackTracer struct{ msg string }

func (e *stackTracer) Error() string            { return e.msg }
func (e *stackTracer) StackTrace() tracedFrames { return tracedFrames{"main.load", "main.handler"} }

type tracedFrames []string

func (f tracedFrames) Format(s fmt.State, verb rune) {
	for _, fn := range f {
		fmt.Fprintf(s, "\n%s\n\t/src/app/main.go:1", fn)
	}
}

func TestHTMLDebugPageShowsStackTraceMethod(t *testing.T) {
	f := newFixture(t, echoerr.WithDebug(true), echoerr.WithRenderer(echoerr.HTML()))
	f.failWith("/x", fmt.Errorf("handler: %w", &stackTracer{msg: "load failed"}))
	body := f.do(http.MethodGet, "/x").Body.String()
	assert.Contains(t, body, "<h3>Stack</h3>")
	assert.Contains(t, body, "main.load\n\t/src/app/main.go:1\nmain.handler")
}
