package echoerr_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/httperr"
)

// Tests for the seams of the entry path: re-entry, handler-written
// responses, cancellation, the 405 restore, redaction and the smaller
// rules DESIGN.md states for them.

// TestRedactionHidesSecretsWithoutDefacingText: in debug mode the values
// of the secret headers are redacted from the error chain, the request
// line and the headers, and redaction does not deface text: a short value
// is replaced only where it stands as a whole token (between spaces,
// quotes, =, ; and the like, or at the ends of the text), never inside a
// word, a number, a version or a header name; a value of 8 bytes or more
// wherever it occurs.
func TestRedactionHidesSecretsWithoutDefacingText(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:pw"))
	cases := []struct {
		name    string
		headers []string
		message string
		want    []string // in the debug output
		absent  []string // nowhere in any body
	}{
		{"a two-letter cookie value", []string{"Cookie: lang=en"},
			"language en unsupported; Authentication failed",
			[]string{"GET /x HTTP/1.1", "language [redacted] unsupported; Authentication failed", "Cookie: [redacted]"}, nil},
		{"a one-character cookie value", []string{"Cookie: x=1; theme=dark"},
			`retry 1 of 3: session x=1 rejected ("1") after 1.5s`,
			[]string{"GET /x HTTP/1.1", `retry [redacted] of 3: session x=[redacted] rejected ("[redacted]") after 1.5s`}, nil},
		{"a one-letter bearer token", []string{"Authorization: Bearer e"},
			"the token e was rejected, e.g. it expired; see e.",
			[]string{"the token [redacted] was rejected, e.g. it expired; see [redacted].", "Authorization: [redacted]", "HTTP/1.1"}, nil},
		{"a value that ends a media type", []string{"Cookie: k=plain", "Accept: text/plain"},
			"type plain refused",
			[]string{"Accept: text/plain", "type [redacted] refused"}, nil},
		{"a value that is part of a header name", []string{"Cookie: k=Type", "X-Request-Type: full"},
			"Content-Type missing",
			[]string{"Content-Type missing", "X-Request-Type: full"}, nil},
		{"a quoted cookie value, quoted and unquoted in the message", []string{`Cookie: sid="q1w2e3r4t5"`},
			fmt.Sprintf("bad session %q, see %s.json", "q1w2e3r4t5", "q1w2e3r4t5"),
			[]string{`bad session [redacted], see [redacted].json`}, []string{"q1w2e3r4t5"}},
		{"a long value inside a path", []string{"Cookie: sid=0123456789abcdef; theme=dark"},
			"open /sessions/0123456789abcdef.json: no such file",
			[]string{"open /sessions/[redacted].json: no such file"}, []string{"0123456789abcdef"}},
		{"Basic credentials decoded", []string{"Authorization: " + basic},
			"login admin:pw failed; pw expired; upward",
			[]string{"login [redacted] failed; [redacted] expired; upward"}, []string{"admin:pw", basic[len("Basic "):]}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []struct {
				name     string
				renderer echoerr.Renderer
			}{{"Text", echoerr.Text()}, {"JSON", echoerr.JSON()}, {"HTML", echoerr.HTML()}, {"Problem", echoerr.Problem()}, {"EchoJSON", echoerr.EchoJSON()}} {
				f := newFixture(t, echoerr.WithDebug(true), echoerr.WithRenderer(r.renderer))
				f.failWith("/x", errors.New(tc.message))
				body := f.do(http.MethodGet, "/x", tc.headers...).Body.String()
				for _, s := range tc.absent {
					assert.NotContains(t, body, s, r.name)
				}
				if r.name == "Text" {
					for _, s := range tc.want {
						assert.Contains(t, body, s)
					}
				}
			}
		})
	}
}

// TestRedactionLeavesSetCookieAttributesAlone: of a Set-Cookie header only
// the cookie's value is a secret; its attributes (Path=/, Max-Age=3600)
// are not, and redacting them would deface every path and number.
func TestRedactionLeavesSetCookieAttributesAlone(t *testing.T) {
	f := newFixture(t, echoerr.WithDebug(true), echoerr.WithRenderer(echoerr.Text()))
	f.E.GET("/a/b", func(c echo.Context) error {
		c.SetCookie(&http.Cookie{Name: "sid", Value: "s3ss10n-v4lue", Path: "/", MaxAge: 3600, HttpOnly: true})
		return errors.New("GET /a/b with sid=s3ss10n-v4lue failed after 3600 ms")
	})
	body := f.do(http.MethodGet, "/a/b").Body.String()
	assert.Contains(t, body, "GET /a/b HTTP/1.1")
	assert.Contains(t, body, "GET /a/b with sid=[redacted] failed after 3600 ms")
	assert.NotContains(t, body, "s3ss10n-v4lue")
}

// TestEchoJSONRedactsAnHTTPErrorWithAnErrorMessage: Echo's body for an
// HTTPError whose Message is an error is {"message": err.Error()};
// EchoJSON writes it with the secrets redacted, as every renderer does.
func TestEchoJSONRedactsAnHTTPErrorWithAnErrorMessage(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			f := newFixture(t, echoerr.WithDebug(debug), echoerr.WithRenderer(echoerr.EchoJSON()))
			f.E.GET("/x", func(c echo.Context) error {
				return echo.NewHTTPError(http.StatusUnauthorized, fmt.Errorf("token %s rejected", c.Request().Header.Get("Authorization")))
			})
			rec := f.do(http.MethodGet, "/x", "Authorization: Bearer tok-SECRET-123")
			require.Equal(t, http.StatusUnauthorized, rec.Code)
			assert.NotContains(t, rec.Body.String(), "tok-SECRET-123")
			assert.Equal(t, "token [redacted] rejected", decodeJSON(t, rec.Body)["message"])
		})
	}
}

// TestProxyUpstreamErrorTextIsNotPublic: Echo's Proxy middleware answers
// an unreachable upstream with a 502 whose message names the upstream's
// address and the dial error. That text is internal: clients get the
// default 502 description (EchoJSON: Echo's status text), the log gets the
// error's text.
func TestProxyUpstreamErrorTextIsNotPublic(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now: connection refused
	upstream, err := url.Parse("http://" + addr)
	require.NoError(t, err)
	for _, r := range []struct {
		name     string
		renderer echoerr.Renderer
		public   string // the public text the body must hold
	}{
		{"JSON", echoerr.JSON(), httperr.StatusDescription(http.StatusBadGateway)},
		{"Problem", echoerr.Problem(), httperr.StatusDescription(http.StatusBadGateway)},
		{"Text", echoerr.Text(), httperr.StatusDescription(http.StatusBadGateway)},
		{"EchoJSON", echoerr.EchoJSON(), `{"message":"Bad Gateway"}`},
	} {
		t.Run(r.name, func(t *testing.T) {
			f := newFixture(t, echoerr.WithRenderer(r.renderer), echoerr.WithDebug(false))
			f.E.Group("/up", middleware.Proxy(middleware.NewRoundRobinBalancer([]*middleware.ProxyTarget{{URL: upstream}})))
			rec := f.do(http.MethodGet, "/up/orders")
			require.Equal(t, http.StatusBadGateway, rec.Code)
			body := rec.Body.String()
			assert.Contains(t, body, r.public)
			assert.NotContains(t, body, addr)
			assert.NotContains(t, body, "127.0.0.1")
			assert.NotContains(t, body, "unreachable")
			rs := f.Log.Records()
			require.Len(t, rs, 1)
			assert.Contains(t, attrs(rs[0])["error"], addr, "the log has the upstream's address")
		})
	}
}

// TestExtensionsCannotShadowCanonicalMembersInAnyLetterCase: Go's
// encoding/json matches member names case-insensitively, so an extension
// "Code" or "STATUS" would shadow the canonical member for Go clients.
// Extensions whose key equals a canonical member in any letter case are
// left out, in JSON and in problem+json (and "debug" in debug mode).
func TestExtensionsCannotShadowCanonicalMembersInAnyLetterCase(t *testing.T) {
	ext := map[string]any{
		"Code": 200, "NAME": "OK", "Description": "fine", "Type": "https://evil.example", "TITLE": "OK",
		"Status": 200, "DETAIL": "fine", "Instance": "/elsewhere", "Debug": "none", "field": "email",
	}
	for _, debug := range []bool{false, true} {
		for name, r := range map[string]echoerr.Renderer{"JSON": echoerr.JSON(), "Problem": echoerr.Problem()} {
			t.Run(fmt.Sprintf("%s/debug=%v", name, debug), func(t *testing.T) {
				f := newFixture(t, echoerr.WithRenderer(r), echoerr.WithDebug(debug))
				f.failWith("/x", &echoerr.Error{Code: http.StatusBadRequest, Description: "Bad input.", Extensions: ext})
				rec := f.do(http.MethodGet, "/x")
				require.Equal(t, http.StatusBadRequest, rec.Code)
				var got struct {
					Code, Status        int
					Name, Title         string
					Description, Detail string
					Type, Instance      string
					Debug               any
					Field               string
				}
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), rec.Body.String())
				assert.Equal(t, "email", got.Field, "other extensions are kept")
				if name == "JSON" {
					assert.Equal(t, 400, got.Code)
					assert.Equal(t, "Bad Request", got.Name)
					assert.Equal(t, "Bad input.", got.Description)
					for _, k := range []string{`"Code"`, `"NAME"`, `"Description"`} {
						assert.NotContains(t, rec.Body.String(), k)
					}
				} else {
					assert.Equal(t, 400, got.Status)
					assert.Equal(t, "Bad Request", got.Title)
					assert.Equal(t, "Bad input.", got.Detail)
					assert.Equal(t, "about:blank", got.Type)
					assert.Equal(t, "/x", got.Instance)
					for _, k := range []string{`"Type"`, `"TITLE"`, `"Status"`, `"DETAIL"`, `"Instance"`} {
						assert.NotContains(t, rec.Body.String(), k)
					}
				}
				if debug {
					assert.NotContains(t, rec.Body.String(), `"Debug"`)
					assert.IsType(t, map[string]any{}, got.Debug)
				}
			})
		}
	}
}
