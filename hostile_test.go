package echoerr_test

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

// Hostile inputs: what scanners, attackers and broken code send into an
// error handler. Each test names the input and proves the response stays
// well-formed, safe and logged once.

// requireOneLogRecord asserts that exactly one record was logged, at level,
// and returns its attributes.
func requireOneLogRecord(t *testing.T, f *fixture, level slog.Level) map[string]string {
	t.Helper()
	recs := f.Log.Records()
	require.Len(t, recs, 1, "one log record per error")
	require.Equal(t, level, recs[0].Level)
	return attrs(recs[0])
}

func TestHostileScriptInMessageIsEscapedInJSON(t *testing.T) {
	const msg = `<script>alert("x")</script><img src=x onerror=alert(1)>&amp;`
	f := newFixture(t)
	f.failWith("/x", echo.NewHTTPError(http.StatusBadRequest, msg))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.NotContains(t, rec.Body.String(), "<", "no raw markup in the JSON bytes")
	assert.NotContains(t, rec.Body.String(), ">")
	assert.Contains(t, rec.Body.String(), `\u003cscript\u003e`)
	assert.Equal(t, msg, decodeJSON(t, rec.Body)["description"], "the text survives, escaped")
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
}

func TestHostileCRLFInMessageStaysInTheBody(t *testing.T) {
	const msg = "bad\r\nSet-Cookie: session=stolen\r\n\r\n<h1>injected</h1>"
	f := newFixture(t)
	f.failWith("/x", echo.NewHTTPError(http.StatusBadRequest, msg))
	f.failWith("/y", errors.New(msg))
	srv := newRealServer(t, f.E)
	for _, path := range []string{"/x", "/y"} {
		res, body := srv.get(t, path)
		assert.Empty(t, res.Header.Values("Set-Cookie"), "no header injected from %s", path)
		assert.NotContains(t, body, "\r\n", "CR/LF escaped in the JSON body")
	}
	res, body := srv.get(t, "/x")
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, msg, decodeJSON(t, strings.NewReader(body))["description"])
}

func TestHostileInvalidUTF8InMessageBecomesReplacementCharacters(t *testing.T) {
	msg := "caf\xc3 \xff\xfe ok \xed\xa0\x80" // truncated sequence, bytes never valid, a surrogate
	f := newFixture(t)
	f.failWith("/x", echo.NewHTTPError(http.StatusUnprocessableEntity, msg))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.True(t, utf8.Valid(rec.Body.Bytes()), "the body is valid UTF-8: %q", rec.Body.Bytes())
	desc := decodeJSON(t, rec.Body)["description"].(string)
	assert.Contains(t, desc, "\uFFFD")
	assert.True(t, strings.HasPrefix(desc, "caf") && strings.Contains(desc, " ok "), desc)
}

func TestHostileMegabyteMessage(t *testing.T) {
	big := strings.Repeat("A<&>\n", 1<<20/5)
	f := newFixture(t)
	f.failWith("/public", echo.NewHTTPError(http.StatusRequestEntityTooLarge, big))
	f.failWith("/internal", errors.New(big))

	rec := f.do(http.MethodGet, "/public")
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, big, decodeJSON(t, rec.Body)["description"], "a public message is sent whole")

	rec = f.do(http.MethodGet, "/internal")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Less(t, rec.Body.Len(), 1024, "internal text is not sent")
	assert.Equal(t, httperr.StatusDescription(500), decodeJSON(t, rec.Body)["description"])
	assert.Len(t, f.Log.Records(), 2)
}

func TestHostileAcceptHeaders(t *testing.T) {
	for name, accept := range map[string]string{
		"garbage":        ";;;,,,q=q=q,\x00\x7f*/*/*;q=-1;q=NaN",
		"only params":    ";q=1;level=2",
		"huge q list":    strings.Repeat("text/html;q=0.1, ", 4000),
		"64 KB of slash": strings.Repeat("/", 64<<10),
		"64 KB one type": "application/" + strings.Repeat("x", 64<<10),
		"invalid UTF-8":  "text/\xff\xfe; q=\xc3",
		"nothing":        "",
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			rec := f.do(http.MethodGet, "/nope", "Accept: "+accept)
			require.Equal(t, http.StatusNotFound, rec.Code)
			checkErrorResponse(t, rec, http.MethodGet, false)
			requireOneLogRecord(t, f, slog.LevelInfo)
		})
	}
}

func TestHostileScriptInMessageIsEscapedInHTML(t *testing.T) {
	const msg = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	for _, debug := range []bool{false, true} {
		f := newFixture(t, echoerr.WithRenderer(echoerr.HTML()), echoerr.WithDebug(debug))
		f.failWith("/x", echo.NewHTTPError(http.StatusBadRequest, msg).SetInternal(errors.New(msg)))
		rec := f.do(http.MethodGet, "/x")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		body := rec.Body.String()
		assert.NotContains(t, body, "<script>alert", "debug=%v", debug)
		assert.NotContains(t, body, "<img", "debug=%v", debug)
		assert.Contains(t, body, "&lt;script&gt;", "the text is shown, escaped")
	}
}

func TestHostileTerminalEscapesInMessageAreNeutralizedInText(t *testing.T) {
	const msg = "\x1b[2J\x1b]0;pwned\x07bad\r\x00input"
	f := newFixture(t, echoerr.WithRenderer(echoerr.Text()))
	f.failWith("/x", echo.NewHTTPError(http.StatusBadRequest, msg))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.NotContains(t, rec.Body.String(), "\x1b")
	assert.NotContains(t, rec.Body.String(), "\r")
	assert.Contains(t, rec.Body.String(), "bad")
}

func TestHostileGarbageAcceptNegotiatesJSON(t *testing.T) {
	f := newFixture(t)
	for _, accept := range []string{";;;,,,q=q", strings.Repeat("text/html;q=0.1,", 4000), "\xff/\xfe", "*/html"} {
		rec := f.do(http.MethodGet, "/nope", "Accept: "+accept)
		require.Equal(t, http.StatusNotFound, rec.Code)
		checkErrorResponse(t, rec, http.MethodGet, false)
	}
}
