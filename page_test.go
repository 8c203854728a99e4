package echoerr_test

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// TestHTMLClientAndServerErrorsLookDifferent: the built-in pages carry the
// status on <body>, and the layout gives 4xx and 5xx their own accent
// colour from it.
func TestHTMLClientAndServerErrorsLookDifferent(t *testing.T) {
	f := htmlFixture(t)
	f.failWith("/boom", errors.New("boom"))
	f.failWith("/teapot", echo.NewHTTPError(http.StatusTeapot))
	assert.Contains(t, f.do(http.MethodGet, "/nope").Body.String(), `<body data-status="404">`)
	assert.Contains(t, f.do(http.MethodGet, "/teapot").Body.String(), `<body data-status="418">`)
	body := f.do(http.MethodGet, "/boom").Body.String()
	assert.Contains(t, body, `<body data-status="500">`)

	rule := regexp.MustCompile(`body\[data-status\^="(\d)"\]\{--status:var\(--(\w+)\)\}`)
	accents := map[string]string{}
	for _, m := range rule.FindAllStringSubmatch(body, -1) {
		accents[m[1]] = m[2]
	}
	require.Contains(t, accents, "4")
	require.Contains(t, accents, "5")
	assert.NotEqual(t, accents["4"], accents["5"], "4xx and 5xx use different colours")
	palette := regexp.MustCompile(`:root\{[^}]*\}`).FindString(body)
	for _, v := range accents {
		assert.Contains(t, palette, "--"+v+":#", "--%s is in the palette", v)
	}
	assert.Regexp(t, `h1 \.code\{[^}]*color:var\(--status\)`, body, "the status code takes the accent")
}

// TestHTML500PageSaysItOnce: the 5xx page's second paragraph tells the
// reader what to do instead of repeating the description.
func TestHTML500PageSaysItOnce(t *testing.T) {
	f := htmlFixture(t)
	f.failWith("/boom", errors.New("boom"))
	body := f.do(http.MethodGet, "/boom").Body.String()
	assert.Contains(t, body, "</h1>\n<p>The server encountered an internal error and could not complete the request.</p>\n"+
		"<p>Please try again in a few moments.</p>\n<a class=\"home\"")
	assert.NotContains(t, body, "our side", "the old hint restated the description")

	body = f.do(http.MethodGet, "/boom", "X-Request-ID: req-7").Body.String()
	assert.Contains(t, body, "<p>Please try again in a few moments. If it keeps happening, report it with the request ID below.</p>")
	assert.Contains(t, body, `<p class="meta">Request ID <code class="rid">req-7</code></p>`)
}

// TestHTMLRequestIDIsLegibleAndSelectable: the request id is a <code> that
// one click selects, on a background that sets it off from the card.
func TestHTMLRequestIDIsLegibleAndSelectable(t *testing.T) {
	body := htmlFixture(t).do(http.MethodGet, "/nope", "X-Request-ID: 3f2a-9c1e").Body.String()
	assert.Contains(t, body, `<code class="rid">3f2a-9c1e</code>`)
	rid := regexp.MustCompile(`\.rid\{([^}]*)\}`).FindStringSubmatch(body)
	require.NotNil(t, rid, "a rule for .rid")
	assert.Contains(t, rid[1], "user-select:all")
	assert.Contains(t, rid[1], "background:var(--code)")
	assert.Contains(t, rid[1], "color:var(--fg)")
	assert.Contains(t, rid[1], "border:1px solid var(--line)")
	assert.NotContains(t, htmlFixture(t).do(http.MethodGet, "/nope").Body.String(), `class="rid"`, "no request id, no line")
}

// TestHTMLPagesHaveAnInlineFavicon: every built-in page names an icon in a
// data: URI, so browsers do not ask the server for /favicon.ico.
func TestHTMLPagesHaveAnInlineFavicon(t *testing.T) {
	f := htmlFixture(t)
	f.failWith("/boom", errors.New("boom"))
	for _, path := range []string{"/nope", "/boom"} {
		body := f.do(http.MethodGet, path).Body.String()
		links := regexp.MustCompile(`<link rel="icon" href="([^"]*)">`).FindAllStringSubmatch(body, -1)
		require.Len(t, links, 1, path)
		assert.True(t, strings.HasPrefix(links[0][1], "data:image/svg+xml,"), links[0][1])
		assert.NotContains(t, body, "favicon.ico")
	}
}

// TestHTMLPagesShowExtensions: the error's extensions appear as a
// definition list, sorted, escaped, maps and slices as JSON; canonical
// member names are left out. Without extensions there is no list.
func TestHTMLPagesShowExtensions(t *testing.T) {
	f := htmlFixture(t)
	f.E.GET("/order", func(echo.Context) error {
		return &echoerr.Error{Code: http.StatusConflict, Description: "The order changed.", Extensions: map[string]any{
			"version": 7,
			"items":   []string{"sku-1", "<b>bold</b>"},
			"limits":  map[string]int{"max": 10, "min": 1},
			"note":    `<script>alert("x")</script>`,
			"since":   time.Date(2026, 1, 18, 0, 0, 0, 0, time.UTC),
			"Code":    "shadowed-code",
			"retry":   true,
		}}
	})
	for _, id := range []string{"", "req-9"} {
		var headers []string
		if id != "" {
			headers = append(headers, "X-Request-ID: "+id)
		}
		body := f.do(http.MethodGet, "/order", headers...).Body.String()
		assert.Contains(t, body, "<p>The order changed.</p>\n"+`<dl class="ext">`+
			`<dt>items</dt><dd>[&#34;sku-1&#34;,&#34;\u003cb\u003ebold\u003c/b\u003e&#34;]</dd>`+
			`<dt>limits</dt><dd>{&#34;max&#34;:10,&#34;min&#34;:1}</dd>`+
			`<dt>note</dt><dd>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</dd>`+
			`<dt>retry</dt><dd>true</dd>`+
			`<dt>since</dt><dd>2026-01-18 00:00:00 &#43;0000 UTC</dd>`+
			`<dt>version</dt><dd>7</dd></dl>`, "request id %q", id)
		assert.NotContains(t, body, "shadowed-code", "a canonical member name is not an extension")
		assert.NotContains(t, body, "<script>")
	}
	assert.NotContains(t, f.do(http.MethodGet, "/nope").Body.String(), `<dl class="ext">`)
}
