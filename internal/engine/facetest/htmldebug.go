package facetest

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tracedError is an error with a stack of its own (a Stack() string
// method): a trace the test writes, whose application frame is a file the
// test wrote, so that which frame leads the page does not depend on where
// the suite runs.
type tracedError struct{ msg, stack string }

func (e *tracedError) Error() string { return e.msg }
func (e *tracedError) Stack() string { return e.stack }

// appSource writes a Go file whose line 4 fails and returns its path, in
// the forward-slash form of Go's traces.
func appSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orders.go")
	src := "package main\n\nfunc placeOrder(id string) {\n\tpanic(\"order book not loaded\")\n}\n"
	require.NoError(t, os.WriteFile(path, []byte(src), 0o600))
	return filepath.ToSlash(path)
}

// tracedFailure is a wrapped tracedError whose stack's innermost frame is
// the Echo router's, then line 4 of file (an application frame), then the
// server's.
func tracedFailure(file string) error {
	stack := "goroutine 7 [running]:\n" +
		"github.com/labstack/echo/v4.(*Echo).add.func1(...)\n\t/go/pkg/mod/github.com/labstack/echo/v4@v4.16.6/echo.go:614 +0x1\n" +
		"main.placeOrder(...)\n\t" + file + ":4 +0x1d\n" +
		"net/http.(*conn).serve(...)\n\t/usr/local/go/src/net/http/server.go:2067 +0x2\n"
	return fmt.Errorf("place order: %w", &tracedError{msg: "order book not loaded", stack: stack})
}

// htmlDebug checks the HTML renderer in debug mode: the built-in page leads
// with the error; a page of the user's gets the debug section without any
// template code; a template that cannot take the debug data fails at
// start-up; a page that defines "content" writes its own heading.
func (s *suite) htmlDebug(t *testing.T) {
	t.Run("the page leads with the error, the route and the first application frame; the headers are folded", s.debugPageOrder)
	t.Run("a page of the user's keeps debug mode without template code", s.userPageDebug)
	t.Run("a template that cannot take the debug data fails at start-up", func(t *testing.T) {
		for name, fsys := range map[string]fstest.MapFS{
			"debug.html given the page's data": {"layout.html": {Data: []byte(
				`<!DOCTYPE html><html><body><h1>{{.Code}}</h1>{{block "content" .}}{{end}}{{template "debug.html" .}}</body></html>`)}},
			".Debug's field outside debug mode": {"500.html": {Data: []byte(`<p>{{.Debug.Request}}</p>`)}},
			"a field the debug data lacks":      {"500.html": {Data: []byte(`{{with .Debug}}<p>{{.Trace}}</p>{{end}}`)}},
		} {
			t.Run(name, func(t *testing.T) {
				var p any
				func() {
					defer func() { p = recover() }()
					s.f.HTML(fsys)
				}()
				require.NotNil(t, p, "HTML must panic when it is called, not fail at request time")
				msg := fmt.Sprint(p)
				assert.Contains(t, msg, "echoerr: HTML")
				for file := range fsys {
					assert.Contains(t, msg, file, "the message names the file")
				}
			})
		}
		// Data-dependent failures of functions stay request-time errors:
		// index on an absent extension passes the check.
		assert.NotPanics(t, func() { s.f.HTML(fstest.MapFS{"500.html": {Data: []byte(`{{index .Extensions.list 5}}`)}}) })
	})
	t.Run("a page that defines content writes its own heading", func(t *testing.T) {
		fsys := fstest.MapFS{
			"404.html": {Data: []byte(`{{template "layout.html" .}}{{define "content"}}<h1>Lost?</h1><p>{{.Description}}</p>{{end}}`)},
			"410.html": {Data: []byte(`{{template "layout.html" .}}{{define "content"}}{{template "heading" .}}<p>Gone for good.</p>{{end}}`)},
		}
		e := s.serve(t, App{
			Options: []Option{s.f.WithRenderer(s.f.HTML(fsys))},
			Routes:  []Endpoint{GET("/gone", Fail(s.f.HTTPError(http.StatusGone, "")))},
		})
		body := e.get("/nowhere").Body.String()
		assert.Equal(t, 1, strings.Count(body, "<h1"), "one heading: %s", body)
		assert.Contains(t, body, "<main>\n<h1>Lost?</h1><p>")
		body = e.get("/gone").Body.String()
		assert.Equal(t, 1, strings.Count(body, "<h1"), "one heading: %s", body)
		assert.Contains(t, body, `<main>
<h1><span class="code">410</span> <span class="name">Gone</span></h1>
<p>Gone for good.</p>`, "the layout's heading, called from the content")
	})
	t.Run("editor links", func(t *testing.T) {
		file := appSource(t)
		e := s.failing(t, tracedFailure(file), s.f.WithDebug(true),
			s.f.WithRenderer(s.f.HTMLEditorLinks("idea://open?file={path}&line={line}")))
		body := e.get("/x").Body.String()
		segs := strings.Split(file, "/")
		for i := range segs {
			segs[i] = url.PathEscape(segs[i]) // the test's directory has a comma
		}
		href := "idea://open?file=" + strings.Join(segs, "/") + "&amp;line=4"
		assert.Contains(t, body, `<code class="fn">main.placeOrder</code> <a class="loc" href="`+href+`">`+file+`:4</a>`)
		assert.Contains(t, body, `<a class="loc" href="idea://open?file=/usr/local/go/src/net/http/server.go&amp;line=2067">`, "library frames too")
		for _, bad := range []string{"javascript:alert(1)//{path}", "/src/{path}", "vscode://file/"} {
			assert.Panics(t, func() { s.f.HTMLEditorLinks(bad) }, bad)
		}
		assert.NotPanics(t, func() { s.f.HTMLEditorLinks("") }, "no links")
	})
}

// debugPageOrder checks the order of the built-in debug page: first the
// error's message and type, the route with its method, path parameters
// and query, the first application frame with its source; then the chain,
// the stack, the request headers, folded, and the report with its copy
// button, the page's one script.
func (s *suite) debugPageOrder(t *testing.T) {
	file := appSource(t)
	e := s.serve(t, App{
		Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(s.f.HTML(nil))},
		Routes:  []Endpoint{GET("/orders/:id", Fail(tracedFailure(file)))},
	})
	body := e.get("/orders/7?tab=2&q=a+b", "Accept: text/html", "Cookie: session=secret-cookie-value").Body.String()
	want := []string{
		`<h1><span class="code">500</span>`,
		`<p class="etype"><code>*fmt.wrapError</code> wrapping <code>*facetest.tracedError</code></p>`,
		`<h2 id="echoerr-debug-title">place order: order book not loaded</h2>`,
		`<dt>Route</dt><dd><code>GET /orders/:id</code></dd>`,
		`<dt>Path parameters</dt><dd><code class="kv"><b>id</b>=7</code> </dd>`,
		`<dt>Query</dt><dd><code class="kv"><b>tab</b>=2</code> <code class="kv"><b>q</b>=a b</code> </dd>`,
		`<div class="first"><p class="floc"><code class="fn">main.placeOrder</code> <span class="loc">` + file + `:4</span></p>`,
		"<mark class=\"ln\"><span class=\"no\">4</span> \tpanic(&#34;order book not loaded&#34;)\n</mark>",
		`<h3>Error chain</h3>`,
		`<h3>Stack</h3>`,
		`<details class="raw"><summary>Request line and headers</summary>`,
		`<pre class="report" id="echoerr-report">#### Request`,
		`<script>`,
	}
	at := 0
	for _, w := range want {
		i := strings.Index(body[at:], w)
		if !assert.GreaterOrEqual(t, i, 0, "%q, after what comes before it, in:\n%s", w, body) {
			return
		}
		at += i + len(w)
	}
	assert.NotContains(t, body, `<details class="raw" open>`, "the request headers start folded")
	assert.NotContains(t, body, "secret-cookie-value")
	assert.Equal(t, 1, strings.Count(body, "<script"), "the copy button's script is the only one")
	assert.Contains(t, body, `<button type="button" class="copy" id="echoerr-copy" hidden>Copy this report</button>`,
		"hidden until the script shows it: without JavaScript, the report is there to select")
}

// userPageDebug checks that a page of the user's gets the debug section and
// its style in debug mode, with no template code, and stays the document
// it was; outside debug mode it is exactly what the template writes.
func (s *suite) userPageDebug(t *testing.T) {
	page := "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>{{.Code}} · Shop</title>\n</head>\n" +
		"<body class=\"shop\">\n<h1>{{.Code}} {{.Name}}</h1>\n<p>{{.Description}}</p>\n</body>\n</html>\n"
	file := appSource(t)
	for name, tc := range map[string]struct {
		fsys       fstest.MapFS
		sectionAt  string // what the section follows
		styleAt    string // what the style precedes
		production string // the page outside debug mode
	}{
		"a whole page": {
			fsys:      fstest.MapFS{"500.html": {Data: []byte(page)}},
			sectionAt: "<body class=\"shop\">", styleAt: "</head>",
			production: strings.NewReplacer("{{.Code}}", "500", "{{.Name}}", "Internal Server Error", "{{.Description}}",
				"The server encountered an internal error and could not complete the request.").Replace(page),
		},
		"a layout that shows the section itself": {
			fsys: fstest.MapFS{"layout.html": {Data: []byte(strings.Replace(page, "</body>",
				`{{with .Debug}}{{template "debug.html" .}}{{end}}</body>`, 1))}, "5xx.html": {Data: []byte(`{{template "layout.html" .}}`)}},
			sectionAt: "</p>", styleAt: "</head>",
		},
		"a page without head or body": {
			fsys:      fstest.MapFS{"error.html": {Data: []byte(`<p>{{.Code}}</p>`)}},
			sectionAt: "</style>\n", styleAt: "\n<section",
			production: "<p>500</p>",
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := s.failing(t, tracedFailure(file), s.f.WithDebug(true), s.f.WithRenderer(s.f.HTML(tc.fsys)))
			rec := e.get("/x")
			require.Equal(t, http.StatusInternalServerError, rec.Code)
			body := rec.Body.String()
			assert.Equal(t, 1, strings.Count(body, `<section class="debug" id="echoerr-debug"`), "one debug section: %s", body)
			assert.Equal(t, 1, strings.Count(body, `<style id="echoerr-debug-style">`), "its style, once")
			assert.Contains(t, body, tc.sectionAt+"\n<section class=\"debug\" id=\"echoerr-debug\"")
			assert.Regexp(t, `<style id="echoerr-debug-style">[^<]*</style>\n`+regexp.QuoteMeta(tc.styleAt), body)
			assert.Contains(t, body, `<h2 id="echoerr-debug-title">place order: order book not loaded</h2>`)
			assert.Contains(t, body, `<code class="fn">main.placeOrder</code>`)
			if strings.HasPrefix(body, "<!DOCTYPE html>") {
				assert.Equal(t, 1, strings.Count(body, "<html"), "one document")
				assert.True(t, strings.HasSuffix(body, "</body>\n</html>\n"), "the page ends as it did")
			}

			off := s.failing(t, tracedFailure(file), s.f.WithDebug(false), s.f.WithRenderer(s.f.HTML(tc.fsys))).get("/x").Body.String()
			assert.NotContains(t, off, "echoerr-debug")
			assert.NotContains(t, off, "<script")
			if tc.production != "" {
				assert.Equal(t, tc.production, off, "outside debug mode, the page as its template writes it")
			}
		})
	}
}
