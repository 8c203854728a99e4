package debugpage

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/echoerr/echoerr/httperr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hideToken redacts "tok" in any text.
func hideToken(s string) string { return strings.ReplaceAll(s, "tok", "[redacted]") }

func TestNewShowsTheRequestRedactedWithItsHeadersSortedByName(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "http://example.com/users/7?key=tok", nil)
	req.Header = http.Header{"X-B": {"2", "tok"}, "Authorization": {"Bearer x"}, "Accept": {"*/*"}}
	chain := []httperr.DebugChainLink{{Type: "*errors.errorString", Message: "boom"}}
	d := New(Input{
		Request: req, Route: "/users/:id", Stack: "main.f()\n\t/app/tok.go:3 +0x1\n", Chain: chain,
		Redact: hideToken,
		RedactHeader: func(name, v string) string {
			if name == "Authorization" {
				return "[hidden]"
			}
			return hideToken(v)
		},
	})
	assert.Equal(t, "GET /users/7?key=[redacted] HTTP/1.1", d.Request)
	assert.Equal(t, "http://example.com/users/7?key=[redacted]", d.URL)
	assert.Equal(t, http.MethodGet, d.Method)
	assert.Equal(t, "/users/:id", d.Route)
	assert.Equal(t, chain, d.Chain, "the chain as given")
	assert.Equal(t, "main.f()\n\t/app/[redacted].go:3 +0x1\n", d.Stack)
	require.Len(t, d.Frames, 1, "the redacted stack is parsed")
	assert.Equal(t, "/app/[redacted].go", d.Frames[0].File)
	assert.Equal(t, [][2]string{{"Accept", "*/*"}, {"Authorization", "[hidden]"}, {"X-B", "2"}, {"X-B", "[redacted]"}}, d.Header)
}

func TestNewWithoutStackHeadersOrChainLeavesThemEmpty(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Header = nil
	d := New(Input{Request: req, Redact: hideToken, RedactHeader: func(_, v string) string { return v }})
	assert.Empty(t, d.Stack)
	assert.Nil(t, d.Frames)
	assert.Nil(t, d.Chain)
	assert.Nil(t, d.Header)
}

func TestSchemeIsHTTPSOverTLSOrWhenAProxySaysSo(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	assert.Equal(t, "http", scheme(req))
	req.Header.Set("X-Forwarded-Proto", "HTTPS")
	assert.Equal(t, "https", scheme(req))
	req.Header.Set("X-Forwarded-Proto", "http")
	req.TLS = &tls.ConnectionState{}
	assert.Equal(t, "https", scheme(req))
}
