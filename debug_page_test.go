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
// through a real *echo.Echo in debug mode: the page shows the chain, the
// failing goroutine's frames (this test's own open, with the source around
// the panic, Echo's and the runtime's folded), the request with secrets
// redacted, and a text block for a bug report. Outside debug mode none of
// it is there.
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

	assert.Contains(t, body, "<li><code>*errors.errorString</code> debug page test: order book not loaded</li>")

	// This test's handler: an application frame, open, its line marked.
	loc := file + ":" + strconv.Itoa(line)
	assert.Regexp(t, regexp.MustCompile(`<details class="app" open><summary><code class="fn">github\.com/echoerr/echoerr_test\.TestHTMLDebugPageShowsFramesSourceAndRequest\.func1\.1</code> <span class="loc">`+
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

	// The request, redacted.
	assert.Contains(t, body, `<dt>Method</dt><dd><code>GET</code></dd><dt>URL</dt><dd><code>http://example.com/orders/7?tab=2</code></dd><dt>Route</dt><dd><code>/orders/:id</code></dd>`)
	assert.Contains(t, body, "Authorization: [redacted]")
	assert.Contains(t, body, "Cookie: [redacted]")
	assert.NotContains(t, body, "SECRET")
	assert.Contains(t, body, "&#34;Authorization: [redacted]&#34;", "in this file's source lines too")

	// The text for a bug report.
	report := regexp.MustCompile(`(?s)<pre class="report">(.*?)</pre>`).FindStringSubmatch(body)
	require.NotNil(t, report)
	assert.True(t, strings.HasPrefix(report[1], "GET /orders/7?tab=2 HTTP/1.1\nRoute: /orders/:id\n"+
		"Handler: github.com/echoerr/echoerr_test.TestHTMLDebugPageShowsFramesSourceAndRequest.func1.1 ("), report[1])
	assert.Contains(t, report[1], ")\nGo: ", "the handler's file and line, then the Go version")
	assert.Contains(t, report[1], "\n  1. *errors.errorString: debug page test: order book not loaded\n")
	assert.Contains(t, report[1], "\n* github.com/echoerr/echoerr_test.TestHTMLDebugPageShowsFramesSourceAndRequest.func1.1\n      "+loc+"\n")
	assert.Contains(t, report[1], "\n  github.com/labstack/echo/v4.(*Echo).ServeHTTP\n")
	assert.NotContains(t, report[1], "Cookie")

	// Outside debug mode: the public page only.
	body = newApp(false).do(http.MethodGet, "/orders/7?tab=2", headers...).Body.String()
	for _, s := range []string{"Debug information", "order book", `class="frames"`, `class="src"`, file, "For a bug report", "/orders/:id", "goroutine"} {
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
