package echoerr_test

import (
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// TestHTMLDebugPageShowsFramesSourceAndRequest serves a recovered panic
// through a real *echo.Echo in debug mode: the page leads with the error,
// the route with its parameters and the frame that panicked with its
// source; then the failing goroutine's frames (this test's own open, with
// the source around them, Echo's and the runtime's folded), the request
// with secrets redacted, and a Markdown block for a bug report. Outside
// debug mode none of it is there.
func TestHTMLDebugPageShowsFramesSourceAndRequest(t *testing.T) {
	var file string
	var line int
	newApp := func(debug bool) *fixture {
		f := newFixture(t, echoerr.WithDebug(debug), echoerr.WithRenderer(echoerr.HTML()))
		f.E.Use(echoerr.Recover())
		f.E.GET("/orders/:id", func(echo.Context) error {
			_, file, line, _ = runtime.Caller(0) // the panic is on the next line
			panic("debug page test: order book not loaded")
		})
		return f
	}
	// The source excerpt around the next statement shows this line too:
	// the secrets in it are redacted there as well.
	headers := []string{"Authorization: Bearer tok-SECRET-1", "Cookie: session=cookie-SECRET-2", "Accept: text/html"}

	rec := newApp(true).do(http.MethodGet, "/orders/7?tab=2", headers...)
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	body := rec.Body.String()
	require.NotZero(t, line)
	line++ // the panic's line

	// The page leads with the error, then where the request went, then the
	// frame that panicked (this test's handler) with its source.
	lead := `<p class="etype"><code>*errors.errorString</code></p>
<h2 id="echoerr-debug-title">debug page test: order book not loaded</h2>
<dl class="where"><dt>Route</dt><dd><code>GET /orders/:id</code></dd>` +
		`<dt>Path parameters</dt><dd><code class="kv"><b>id</b>=7</code> </dd>` +
		`<dt>Query</dt><dd><code class="kv"><b>tab</b>=2</code> </dd>` +
		`<dt>Handler</dt><dd><code>github.com/echoerr/echoerr_test.TestHTMLDebugPageShowsFramesSourceAndRequest.func1.1</code></dd>` +
		`<dt>URL</dt><dd><code>http://example.com/orders/7?tab=2</code></dd></dl>
<div class="first"><p class="floc"><code class="fn">github.com/echoerr/echoerr_test.TestHTMLDebugPageShowsFramesSourceAndRequest.func1.1</code> <span class="loc">`
	loc := file + ":" + strconv.Itoa(line)
	assert.Contains(t, body, lead+loc+"</span></p>\n<pre class=\"src\"><code>")
	assert.NotContains(t, body, `<ol class="chain">`, "a chain of one link is the lead")
	order := []string{`<h1>`, `<h2 id="echoerr-debug-title">`, `<dl class="where">`, `<div class="first">`, `<mark class="ln">`,
		"<h3>Stack</h3>", "<h3>Request</h3>", `<details class="raw"><summary>Request line and headers</summary>`, `<pre class="report"`}
	for i := 1; i < len(order); i++ {
		assert.Less(t, strings.Index(body, order[i-1]), strings.Index(body, order[i]), "%s before %s", order[i-1], order[i])
	}
	// In the stack, the same frame is folded: its source is shown above.
	assert.Regexp(t, regexp.MustCompile(`<details class="app"><summary><code class="fn">github\.com/echoerr/echoerr_test\.TestHTMLDebugPageShowsFramesSourceAndRequest\.func1\.1</code> <span class="loc">`+
		regexp.QuoteMeta(loc)+`</span></summary>\n<pre class="src"><code>`), body)
	assert.Contains(t, body, `<mark class="ln"><span class="no">`+strconv.Itoa(line)+`</span>`+
		" \t\t\tpanic(&#34;debug page test: order book not loaded&#34;)\n</mark>", "the failing line, marked")
	assert.Contains(t, body, `<span class="ln"><span class="no">`+strconv.Itoa(line-1)+`</span>`+
		" \t\t\t_, file, line, _ = runtime.Caller(0) // the panic is on the next line\n</span>", "the line before it")

	// Echo's and the runtime's frames are folded, never open.
	libs := regexp.MustCompile(`(?s)<details class="lib"><summary>[^<]*</summary>\n<ol>.*?</ol></details>`).FindAllString(body, -1)
	require.NotEmpty(t, libs)
	folded := strings.Join(libs, "\n")
	assert.Contains(t, folded, `<code class="fn">github.com/labstack/echo/v4.(*Echo).ServeHTTP</code>`)
	first := regexp.MustCompile(`<details class="(app|lib)"`).FindStringSubmatch(body)
	require.NotNil(t, first)
	assert.Equal(t, "app", first[1], "the stack starts at the frame that panicked")
	assert.NotContains(t, body, "runtime/debug.Stack", "not in the recovering middleware")
	assert.NotContains(t, folded, `<code class="fn">panic</code>`, "nor in the runtime's panic")
	assert.NotContains(t, body, `<details class="lib" open`)
	for _, open := range regexp.MustCompile(`<details class="app" open><summary><code class="fn">([^<]*)</code> <span class="loc">([^<]*)</span>`).FindAllStringSubmatch(body, -1) {
		assert.True(t, strings.HasPrefix(open[1], "github.com/echoerr/echoerr_test."), "open frame %s", open[1])
		assert.NotContains(t, open[2], "/pkg/mod/", "open frame %s", open[1])
	}

	// The request, redacted; its headers folded.
	assert.Contains(t, body, `<details class="raw"><summary>Request line and headers</summary>
<pre class="wrap">GET /orders/7?tab=2 HTTP/1.1
Accept: text/html
Authorization: [redacted]
Cookie: [redacted]</pre></details>`)
	assert.Contains(t, body, "Authorization: [redacted]")
	assert.Contains(t, body, "Cookie: [redacted]")
	assert.NotContains(t, body, "SECRET")
	assert.Contains(t, body, "&#34;Authorization: [redacted]&#34;", "in this file's source lines too")

	// The Markdown for a bug report, and the one script: the button that
	// copies it.
	report := regexp.MustCompile(`(?s)<pre class="report" id="echoerr-report">(.*?)</pre>`).FindStringSubmatch(body)
	require.NotNil(t, report)
	assert.True(t, strings.HasPrefix(report[1], "#### Request\n\n```text\nGET /orders/7?tab=2 HTTP/1.1\nRoute: /orders/:id\n"+
		"Path parameters: id=7\nQuery: tab=2\n"+
		"Handler: github.com/echoerr/echoerr_test.TestHTMLDebugPageShowsFramesSourceAndRequest.func1.1 ("), report[1])
	assert.Contains(t, report[1], ")\nGo: ", "the handler's file and line, then the Go version")
	assert.Contains(t, report[1], "\n#### Error chain\n\n```text\n1. *errors.errorString: debug page test: order book not loaded\n```\n")
	assert.Contains(t, report[1], "\n* github.com/echoerr/echoerr_test.TestHTMLDebugPageShowsFramesSourceAndRequest.func1.1\n      "+loc+"\n")
	assert.Contains(t, report[1], "\n  github.com/labstack/echo/v4.(*Echo).ServeHTTP\n")
	assert.NotContains(t, report[1], "Cookie")
	assert.Contains(t, body, `<button type="button" class="copy" id="echoerr-copy" hidden>Copy this report</button>`, "shown by the script")
	assert.Equal(t, 1, strings.Count(body, "<script"), "one script")

	// Outside debug mode: the public page only.
	body = newApp(false).do(http.MethodGet, "/orders/7?tab=2", headers...).Body.String()
	for _, s := range []string{"echoerr-debug", "order book", `class="frames"`, `class="src"`, file, "For a bug report", "/orders/:id", "goroutine", "<script"} {
		assert.NotContains(t, body, s)
	}
}

// TestHTMLDebugPageWithoutParsableStack: an error without a stack has no
// stack section; a stack echoerr cannot parse is shown as text.
func TestHTMLDebugPageWithoutParsableStack(t *testing.T) {
	f := newFixture(t, echoerr.WithDebug(true), echoerr.WithRenderer(echoerr.HTML()))
	f.failWith("/plain", echoerr.NewError(http.StatusBadGateway, "upstream down"))
	f.failWith("/odd", &dumpError{stack: "stack <unknown format>"})

	body := f.do(http.MethodGet, "/plain").Body.String()
	assert.NotContains(t, body, "<h3>Stack</h3>")
	assert.Contains(t, body, "Debug information")
	assert.Contains(t, body, "<h3>For a bug report</h3>")

	body = f.do(http.MethodGet, "/odd").Body.String()
	assert.Contains(t, body, "<h3>Stack</h3>\n<pre class=\"wrap\">stack &lt;unknown format&gt;</pre>")
	assert.NotContains(t, body, `class="frames"`)
}
