package echoerr_test

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
)

// goroutineHeaders matches the header line of each goroutine in a stack
// trace, such as "goroutine 7 [running]:".
var goroutineHeaders = regexp.MustCompile(`(?m)^goroutine \d+ \[[^\]]*\]:$`)

// parkedGoroutine blocks until done is closed, so that a dump of every
// goroutine has at least one more to show.
func parkedGoroutine(done chan struct{}) { <-done }

// TestRecoverStackKeepsOnlyThePanickingGoroutine: with Echo's default
// Recover config (DisableStackAll: false, so Echo captures every goroutine)
// the log record and the debug member hold the panicking goroutine's stack
// only.
func TestRecoverStackKeepsOnlyThePanickingGoroutine(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	go parkedGoroutine(done)

	for _, renderer := range []echoerr.Renderer{echoerr.JSON(), echoerr.Problem()} {
		f := newFixture(t, echoerr.WithDebug(true), echoerr.WithRenderer(renderer))
		f.E.Use(echoerr.Recover())
		f.E.GET("/panic", func(echo.Context) error { panic("route bug") })
		rec := f.do(http.MethodGet, "/panic")
		require.Equal(t, http.StatusInternalServerError, rec.Code)

		for where, stack := range map[string]string{
			"log":          attrs(f.Log.Records()[0])["stack"],
			"debug member": fmt.Sprint(decodeJSON(t, rec.Body)["debug"].(map[string]any)["stack"]),
		} {
			assert.Len(t, goroutineHeaders.FindAllString(stack, -1), 1, "%s: goroutine headers", where)
			assert.Regexp(t, `^goroutine \d+ \[running\]:\n`, stack, where)
			assert.Contains(t, stack, "TestRecoverStackKeepsOnlyThePanickingGoroutine.func", where)
			assert.NotContains(t, stack, "parkedGoroutine", where)
		}
	}
}

// TestRecoverStackWrapperHiddenFromChain: the error chain in the log, the
// JSON debug member, the text renderer and the HTML page starts with what
// the route's panic produced, not with RecoverStack's wrapper.
func TestRecoverStackWrapperHiddenFromChain(t *testing.T) {
	for _, tc := range []struct {
		name  string
		panic any
		chain []string
	}{
		{"panic with a string", "route bug", []string{"*errors.errorString: route bug"}},
		{"panic with a wrapped error", fmt.Errorf("read body: %w", io.ErrUnexpectedEOF),
			[]string{"*fmt.wrapError: read body: unexpected EOF", "*errors.errorString: unexpected EOF"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			newApp := func(r echoerr.Renderer) *fixture {
				f := newFixture(t, echoerr.WithDebug(true), echoerr.WithRenderer(r))
				f.E.Use(echoerr.Recover())
				f.E.GET("/panic", func(echo.Context) error { panic(tc.panic) })
				return f
			}

			f := newApp(echoerr.JSON())
			rec := f.do(http.MethodGet, "/panic")
			require.Equal(t, http.StatusInternalServerError, rec.Code)
			assert.Equal(t, fmt.Sprint(tc.chain), attrs(f.Log.Records()[0])["chain"], "log attribute chain")
			var got []string
			for _, l := range decodeJSON(t, rec.Body)["debug"].(map[string]any)["chain"].([]any) {
				link := l.(map[string]any)
				got = append(got, fmt.Sprintf("%s: %s", link["type"], link["message"]))
			}
			assert.Equal(t, tc.chain, got, "JSON debug member")

			text := newApp(echoerr.Text()).do(http.MethodGet, "/panic").Body.String()
			assert.Contains(t, text, "\nError chain:\n  1. "+tc.chain[0]+"\n")
			assert.NotContains(t, text, "stackError")

			// (The page's source excerpts quote this test; look at the error
			// the page leads with, and the chain listed when it has more
			// than one link.)
			page := newApp(echoerr.HTML()).do(http.MethodGet, "/panic").Body.String()
			lead := regexp.MustCompile(`(?s)<p class="etype">.*?</h2>`).FindString(page)
			typ, msg, _ := strings.Cut(tc.chain[0], ": ")
			assert.True(t, strings.HasPrefix(lead, `<p class="etype"><code>`+typ+"</code>"), lead)
			assert.True(t, strings.HasSuffix(lead, `<h2 id="echoerr-debug-title">`+msg+"</h2>"), lead)
			assert.NotContains(t, lead, "stackError")
			chain := regexp.MustCompile(`<ol class="chain">.*</ol>`).FindString(page)
			if len(tc.chain) > 1 {
				assert.Contains(t, chain, "<li><code>"+strings.Replace(tc.chain[0], ": ", "</code> ", 1)+"</li>")
			}
			assert.NotContains(t, chain, "stackError")
		})
	}
}

// TestStackOfAnyErrorIsItsFirstGoroutine: an error of the user's whose
// Stack method returns a dump of every goroutine is logged and shown with
// the first goroutine only.
func TestStackOfAnyErrorIsItsFirstGoroutine(t *testing.T) {
	dump := "goroutine 9 [running]:\nmain.handler()\n\t/app/main.go:12 +0x1d\n\n" +
		"goroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:30 +0x2a\n"
	f := newFixture(t, echoerr.WithDebug(true))
	f.failWith("/x", &dumpError{stack: dump})
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	want := "goroutine 9 [running]:\nmain.handler()\n\t/app/main.go:12 +0x1d"
	assert.Equal(t, want, attrs(f.Log.Records()[0])["stack"])
	assert.Equal(t, want, decodeJSON(t, rec.Body)["debug"].(map[string]any)["stack"])
}

// dumpError is an error with a Stack method, as some error packages have.
type dumpError struct{ stack string }

func (e *dumpError) Error() string { return "dump" }
func (e *dumpError) Stack() string { return e.stack }
