package facetest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Public text versus internal detail.
func (s *suite) publicText(t *testing.T) {
	// Invariant 4: a public message that quotes a secret header's value is
	// redacted in every renderer, EchoJSON too, whatever the status, an
	// invalid one included (found by FuzzFaceInvariants: EchoJSON sent an
	// HTTPError(0)'s message as it was).
	t.Run("a public message quoting a secret header is redacted in every renderer", func(t *testing.T) {
		const token = "tok-5f1e2d3c4b"
		for _, rc := range s.allRenderers() {
			for _, code := range []int{400, 0} {
				msg := "rejected " + token
				e := s.failing(t, s.f.WrapHTTPError(code, msg, errors.New("inner")), s.f.WithRenderer(rc.r))
				rec := e.get("/x", "Authorization: Bearer "+token)
				assert.NotContains(t, rec.Body.String(), token, "%s, status %d", rc.name, code)
			}
		}
	})
	t.Run("an HTTP error's string message is public, at any status", func(t *testing.T) {
		for code, msg := range map[int]string{400: "Missing name.", 500: "Try again in a minute.", 503: "Down for maintenance."} {
			rec := s.failing(t, s.f.HTTPError(code, msg)).get("/x")
			require.Equal(t, code, rec.Code)
			assert.Equal(t, msg, jsonBody(t, rec)["description"])
		}
	})
	t.Run("internal text is never shown outside debug mode, in any renderer", func(t *testing.T) {
		for _, tc := range []struct {
			name, secret string
			err          error
		}{
			{"an HTTP error's cause", "strconv: cause-77", s.f.WrapHTTPError(400, "Bad input.", errors.New("strconv: cause-77"))},
			{"an unknown error", "pq: detail-42", fmt.Errorf("load: %w", errors.New("pq: detail-42"))},
			{"a Describer without a status", "described-99", &Described{Desc: "described-99", Msg: "internal"}},
			{"a carrier's Error()", "carrier-55", &Coded{Code: 409, Msg: "carrier-55"}},
		} {
			for _, rc := range s.allRenderers() {
				t.Run(tc.name+"/"+rc.name, func(t *testing.T) {
					body := s.failing(t, tc.err, s.f.WithRenderer(rc.r)).get("/x", "Accept: text/html").Body.String()
					assert.NotContains(t, body, tc.secret)
				})
			}
		}
	})
	t.Run("debug mode adds the chain, the stack and the request line", s.debugDetail)
	t.Run("the debug page locates the error in the application", s.debugPage)
	if s.caps.EchoDebug {
		t.Run("debug mode follows Echo's debug switch unless WithDebug says otherwise", func(t *testing.T) {
			err := errors.New("internal-detail-31")
			e := s.serve(t, App{Debug: true, Routes: []Endpoint{GET("/x", Fail(err))}})
			assert.Contains(t, e.get("/x").Body.String(), "internal-detail-31")
			e = s.serve(t, App{Debug: true, Options: []Option{s.f.WithDebug(false)}, Routes: []Endpoint{GET("/x", Fail(err))}})
			assert.NotContains(t, e.get("/x").Body.String(), "internal-detail-31")
		})
	}
	t.Run("secret headers are never shown, in any renderer", s.secrets)
	t.Run("a thousand cookies and a 256 KB message are redacted in memory linear in them", s.manyCookies)
	t.Run("redaction hides each secret and nothing else, in every renderer", s.redaction)
	t.Run("of a Set-Cookie header only the cookie's value is redacted, not its attributes", func(t *testing.T) {
		cookie := &http.Cookie{Name: "sid", Value: "s3ss10n-v4lue", Path: "/", MaxAge: 3600, HttpOnly: true}
		e := s.serve(t, App{
			Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(s.f.Text())},
			Routes: []Endpoint{GET("/a/b", func(c Ctx) error {
				c.Header().Add("Set-Cookie", cookie.String())
				return errors.New("GET /a/b with sid=s3ss10n-v4lue failed after 3600 ms")
			})},
		})
		body := e.get("/a/b").Body.String()
		assert.Contains(t, body, "GET /a/b HTTP/1.1")
		assert.Contains(t, body, "GET /a/b with sid=[redacted] failed after 3600 ms")
		assert.NotContains(t, body, "s3ss10n-v4lue")
	})
	t.Run("an unreachable Proxy upstream's address is logged, never public", s.proxyText)
	t.Run("redaction does not deface text", func(t *testing.T) {
		msg := "the request HTTP/1.1 failed; see the manual"
		for _, rc := range s.allRenderers() {
			t.Run(rc.name, func(t *testing.T) {
				e := s.failing(t, errors.New(msg), s.f.WithDebug(true), s.f.WithRenderer(rc.r))
				body := e.get("/x", "Cookie: x=1; lang=en", "Authorization: Bearer e").Body.String()
				assert.Contains(t, body, "see the manual", "ordinary text intact")
				assert.Contains(t, body, "HTTP/1.1")
				assert.NotContains(t, body, "HTTP/[redacted]")
			})
		}
	})
	if s.caps.HTTPErrorAnyMessage {
		t.Run("EchoJSON redacts an HTTP error whose message is an error", func(t *testing.T) {
			for _, debug := range []bool{false, true} {
				// The message quotes the token, or the header's whole value.
				for _, quoted := range []string{"tok-SECRET-a1b2c3", "Bearer tok-SECRET-a1b2c3"} {
					err := s.f.HTTPErrorValue(http.StatusUnauthorized, fmt.Errorf("token %s rejected", quoted))
					e := s.failing(t, err, s.f.WithDebug(debug), s.f.WithRenderer(s.f.EchoJSON()))
					rec := e.get("/x", "Authorization: Bearer tok-SECRET-a1b2c3")
					require.Equal(t, http.StatusUnauthorized, rec.Code)
					assert.NotContains(t, rec.Body.String(), "SECRET", "debug=%v", debug)
					assert.Equal(t, "token [redacted] rejected", jsonBody(t, rec)["message"], "Echo's body, redacted")
				}
			}
		})
	}
	t.Run("extensions cannot shadow canonical members, in any letter case", s.shadowing)
	t.Run("a custom type's public text and payload", func(t *testing.T) {
		rec := s.failing(t, &InvalidAPIUsage{Message: "No such user!", Code: 404, Payload: map[string]any{"user_id": "420"}}).get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, map[string]any{"code": 404.0, "name": "Not Found", "description": "No such user!", "user_id": "420"}, jsonBody(t, rec))
		rich := &Rich{Code: 423, Desc: "Document d7 is being edited.", Ext: map[string]any{"document": "d7"}, Msg: "row locked by txn 42"}
		rec = s.failing(t, fmt.Errorf("save: %w", rich)).get("/x")
		assert.Equal(t, map[string]any{"code": 423.0, "name": "Locked", "description": "Document d7 is being edited.", "document": "d7"}, jsonBody(t, rec))
		assert.NotContains(t, rec.Body.String(), "txn 42")
	})
	t.Run("every string is escaped for its medium", func(t *testing.T) {
		markup := `<script>alert("x")</script><img src=x onerror=alert(1)>&amp;`
		// The cause's text is shown in debug mode: escaped too.
		err := s.f.WrapHTTPError(http.StatusBadRequest, markup, errors.New(markup))
		for _, debug := range []bool{false, true} {
			for _, rc := range s.allRenderers() {
				t.Run(fmt.Sprintf("%s/debug=%v", rc.name, debug), func(t *testing.T) {
					rec := s.failing(t, err, s.f.WithRenderer(rc.r), s.f.WithDebug(debug)).get("/x")
					require.Equal(t, http.StatusBadRequest, rec.Code)
					body := rec.Body.String()
					switch rc.mediaType {
					case "text/plain":
						assertSafety(t, rec.Header())
					case "text/html":
						assertOwnScriptsOnly(t, body, debug)
						assert.NotContains(t, body, "<img")
						assert.Contains(t, body, "&lt;script&gt;", "the text is shown, escaped")
					default:
						assert.NotContains(t, body, "<", "JSON escapes markup: no raw < in the bytes")
						assert.NotContains(t, body, ">", "no raw > in the bytes")
						assert.Contains(t, body, `\u003cscript\u003e`)
						assert.Contains(t, jsonStrings(t, rec.Body.Bytes()), markup, "the text itself survives")
						if rc.name == "JSON" {
							assert.Equal(t, markup, jsonBody(t, rec)["description"])
						}
					}
					assertSafety(t, rec.Header())
				})
			}
		}
	})
	t.Run("markup, CR/LF and escape sequences in a message stay inert in every renderer", s.inertMessages)
	t.Run("invalid UTF-8 in a message gives valid UTF-8 bodies", s.invalidUTF8)
	t.Run("a 1 MB message is sent whole when public", s.megabyteMessages)
}

// jsonStrings joins the string members of a JSON object body.
func jsonStrings(t *testing.T, body []byte) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	var b strings.Builder
	for _, v := range m {
		if s, ok := v.(string); ok {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// debugDetail: in debug mode every renderer shows the error chain (each
// link's type and message), the request line, and the stack when there is
// one; EchoJSON shows what Echo's own handler shows, the error's text.
func (s *suite) debugDetail(t *testing.T) {
	err := fmt.Errorf("outer: %w", &Wrapper{Msg: "middle", Err: errors.New("root-cause-text")})
	for _, rc := range s.allRenderers() {
		t.Run(rc.name, func(t *testing.T) {
			e := s.serve(t, App{
				Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(rc.r)},
				Use:     []Middleware{Use(KindRecoverStack)},
				Routes: []Endpoint{
					GET("/x", Fail(err)),
					GET("/panic", func(Ctx) error { panic("route panicked") }),
				},
			})
			body := e.get("/x?q=1").Body.String()
			assert.Contains(t, body, "root-cause-text")
			if rc.name == "EchoJSON" {
				return
			}
			assert.Contains(t, body, "*facetest.Wrapper", "each link's type")
			assert.Contains(t, body, "GET /x?q=1 HTTP/1.1", "the request line")
			body = e.get("/panic").Body.String()
			assert.Contains(t, body, "goroutine", "the stack")
		})
	}
}

// secrets: the values of Authorization, Cookie, Set-Cookie and
// Proxy-Authorization never reach a body, quoted or not, in debug mode or
// not, in any renderer, even when an error message quotes them.
func (s *suite) secrets(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("user:px-SECRET-g7h8"))
	msg := fmt.Sprintf("auth %q cookie %s and %q proxy %s basic %s set %s",
		"Bearer tok-SECRET-a1b2c3", "session=ck-SECRET-d4e5f6", "ck-SECRET-d4e5f6", "px-SECRET-g7h8", basic, "sc-SECRET-j1k2")
	headers := []string{
		"Authorization: Bearer tok-SECRET-a1b2c3",
		"Cookie: session=ck-SECRET-d4e5f6; theme=dark-SECRET-x9",
		"Proxy-Authorization: Basic " + basic,
		"Accept: text/html",
	}
	errs := map[string]error{
		"an unknown error":  errors.New(msg),
		"a public message":  s.f.HTTPError(http.StatusUnauthorized, msg),
		"a public wrapped":  s.f.WrapHTTPError(http.StatusUnauthorized, msg, errors.New(msg)),
		"a custom extender": &Rich{Code: 403, Desc: msg, Ext: map[string]any{"why": msg}, Msg: msg},
	}
	for _, debug := range []bool{false, true} {
		for _, rc := range s.allRenderers() {
			for name, err := range errs {
				t.Run(fmt.Sprintf("%s/%s/debug=%v", rc.name, name, debug), func(t *testing.T) {
					e := s.serve(t, App{
						Options: []Option{s.f.WithDebug(debug), s.f.WithRenderer(rc.r)},
						Routes: []Endpoint{GET("/x", func(c Ctx) error {
							c.Header().Add("Set-Cookie", "sid=sc-SECRET-j1k2; Path=/")
							return err
						})},
					})
					rec := e.get("/x?token=none", headers...)
					body := rec.Body.String()
					assert.NotContains(t, body, "SECRET")
					assert.NotContains(t, body, basic)
					assert.NotEmpty(t, body)
				})
			}
		}
	}
}

// shadowing: extension members never replace or duplicate the canonical
// ones, in any letter case (encoding/json matches keys case-insensitively,
// so a client decoding into a struct would read the wrong one).
func (s *suite) shadowing(t *testing.T) {
	for _, tc := range []struct {
		name      string
		r         Renderer
		canonical map[string]any
	}{
		{"JSON", s.f.JSON(), map[string]any{"code": 409.0, "name": "Conflict", "description": "Real."}},
		{"Problem", s.f.Problem(), map[string]any{"type": "about:blank", "title": "Conflict", "status": 409.0, "detail": "Real."}},
	} {
		for _, debug := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/debug=%v", tc.name, debug), func(t *testing.T) { s.shadowingCase(t, tc.name, tc.r, tc.canonical, debug) })
		}
	}
}

// shadowingCase is one renderer of shadowing, in or out of debug mode:
// in debug mode, the "debug" member cannot be shadowed either.
func (s *suite) shadowingCase(t *testing.T, name string, r Renderer, canonical map[string]any, debug bool) {
	ext := map[string]any{"extra": "kept", "Debug": "none"}
	for k := range canonical {
		ext[k] = "spoofed"
		ext[strings.ToUpper(k)] = "spoofed"
		ext[strings.ToUpper(k[:1])+k[1:]] = "spoofed"
	}
	if name == "Problem" {
		ext["instance"], ext["Instance"] = "spoofed", "spoofed"
	}
	rec := s.failing(t, &Rich{Code: 409, Desc: "Real.", Ext: ext, Msg: "m"}, s.f.WithRenderer(r), s.f.WithDebug(debug)).get("/x")
	require.Equal(t, 409, rec.Code)
	keys := topLevelKeys(t, rec.Body.Bytes())
	m := jsonBody(t, rec)
	// keysLike are the members named k in any letter case.
	keysLike := func(k string) []string {
		var out []string
		for _, key := range keys {
			if strings.EqualFold(key, k) {
				out = append(out, key)
			}
		}
		return out
	}
	for k, want := range canonical {
		assert.Equal(t, want, m[k], "member %s", k)
		assert.Len(t, keysLike(k), 1, "one member %q in any case, in %v", k, keys)
	}
	if name == "Problem" {
		for _, key := range keysLike("instance") {
			assert.NotEqual(t, "spoofed", m[key], "instance")
		}
		assert.Equal(t, "/x", m["instance"], "the request's path")
	}
	if debug && assert.Equal(t, []string{"debug"}, keysLike("debug"), "one debug member in any case") {
		assert.IsType(t, map[string]any{}, m["debug"], "the debug detail, not the extension")
	}
	assert.Equal(t, "kept", m["extra"])
	assert.NotContains(t, rec.Body.String(), `"spoofed"`, "no canonical member is spoofed in any case")
}

// topLevelKeys returns the member names of a JSON object in order,
// duplicates included.
func topLevelKeys(t *testing.T, body []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var v json.RawMessage
		require.NoError(t, dec.Decode(&v))
	}
	return keys
}

// manyCookies holds invariants 3 and 4: redaction is one pass over the
// text, however many secrets there are (no per-secret scan of a long
// message, no copy of it per secret), and still hides every one of them.
// The memory one request allocates stands in for its work, so that the
// test asserts no time.
func (s *suite) manyCookies(t *testing.T) {
	var cookies, quoted []string
	for i := range 1000 {
		v := fmt.Sprintf("ck-SECRET-%04d", i)
		cookies = append(cookies, fmt.Sprintf("c%d=%s", i, v))
		quoted = append(quoted, v)
	}
	header := "Cookie: " + strings.Join(cookies, "; ")
	unit := "the e of every word, and a message quoting " + strings.Join(quoted, ", ") + ". "
	msg := strings.Repeat(unit, 256<<10/len(unit)+1)
	for name, err := range map[string]error{
		"an unknown error, debug detail": errors.New(msg),
		"a public message":               s.f.HTTPError(http.StatusBadRequest, msg),
	} {
		t.Run(name, func(t *testing.T) {
			e := s.serve(t, App{
				Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(s.f.JSON())},
				Routes:  []Endpoint{GET("/x", Fail(err))},
			})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rec := e.get("/x", header)
			runtime.ReadMemStats(&after)
			assert.Contains(t, []int{http.StatusBadRequest, http.StatusInternalServerError}, rec.Code)
			body := rec.Body.String()
			assert.NotContains(t, body, "SECRET", "every cookie value is redacted")
			assert.Contains(t, body, "every word", "the text around them is kept")
			allocated := after.TotalAlloc - before.TotalAlloc
			limit := uint64(64 * (len(msg) + len(header)))
			assert.Less(t, allocated, limit, "bytes allocated for one request, for %d bytes of message and cookies", len(msg)+len(header))
		})
	}
}

// inertMessages: markup, CR/LF and terminal escape sequences in a message,
// public or internal, in debug mode or not, never inject a header, never
// reach a terminal raw, and leave every JSON body valid.
func (s *suite) inertMessages(t *testing.T) {
	msg := "line one\r\nSet-Cookie: evil=1\r\n<script>alert(1)</script>\x1b[31m\x1b[2J\x1b]0;pwned\x07bad\r\x00input"
	for _, debug := range []bool{false, true} {
		for _, rc := range s.allRenderers() {
			t.Run(fmt.Sprintf("%s/debug=%v", rc.name, debug), func(t *testing.T) {
				e := s.serve(t, App{
					Options: []Option{s.f.WithRenderer(rc.r), s.f.WithDebug(debug)},
					Routes:  []Endpoint{GET("/public", Fail(s.f.HTTPError(400, msg))), GET("/internal", Fail(errors.New(msg)))},
				})
				for _, path := range []string{"/public", "/internal"} {
					rec := e.get(path)
					assert.Empty(t, rec.Header().Values("Set-Cookie"), "no header injection")
					body := rec.Body.String()
					switch rc.mediaType {
					case "text/plain":
						assert.NotContains(t, body, "\r", "no carriage return sent to a terminal")
						assert.NotContains(t, body, "\x1b", "no escape sequence sent to a terminal")
						if path == "/public" || debug {
							assert.Contains(t, body, "bad", "the text around them is kept")
						}
					case "text/html":
						assertOwnScriptsOnly(t, body, debug)
					default:
						assert.NotContains(t, body, "<script>")
						assert.True(t, json.Valid(rec.Body.Bytes()), "valid JSON: %q", body)
					}
				}
			})
		}
	}
	t.Run("on the wire, with the default renderer", func(t *testing.T) {
		const crlf = "bad\r\nSet-Cookie: session=stolen\r\n\r\n<h1>injected</h1>"
		e := s.serve(t, App{Routes: []Endpoint{
			GET("/public", Fail(s.f.HTTPError(http.StatusBadRequest, crlf))),
			GET("/internal", Fail(errors.New(crlf))),
		}})
		srv := httptest.NewServer(e.h)
		defer srv.Close()
		for _, path := range []string{"/public", "/internal"} {
			res, body := getOnWire(t, srv, path)
			assert.Empty(t, res.Header.Values("Set-Cookie"), "no header injected from %s", path)
			assert.NotContains(t, string(body), "\r\n", "CR/LF escaped in the JSON body of %s", path)
			if path == "/public" {
				require.Equal(t, http.StatusBadRequest, res.StatusCode)
				var m map[string]any
				require.NoError(t, json.Unmarshal(body, &m))
				assert.Equal(t, crlf, m["description"], "the text survives, escaped")
			}
		}
	})
}

// invalidUTF8: invalid UTF-8 in a message, public or internal, gives
// valid UTF-8 JSON and text bodies in every renderer.
func (s *suite) invalidUTF8(t *testing.T) {
	// A truncated sequence, bytes never valid, a surrogate.
	msg := "bad \xff\xfe\xc3 bytes: caf\xc3 ok \xed\xa0\x80"
	for _, debug := range []bool{false, true} {
		for _, rc := range s.allRenderers() {
			t.Run(fmt.Sprintf("%s/debug=%v", rc.name, debug), func(t *testing.T) {
				e := s.serve(t, App{
					Options: []Option{s.f.WithRenderer(rc.r), s.f.WithDebug(debug)},
					Routes:  []Endpoint{GET("/public", Fail(s.f.HTTPError(400, msg))), GET("/internal", Fail(errors.New(msg)))},
				})
				for _, path := range []string{"/public", "/internal"} {
					rec := e.get(path)
					assert.Less(t, rec.Code, 600, path)
					switch {
					case rc.mediaType == "text/html":
						// html/template passes invalid bytes through; the
						// browser shows U+FFFD for them.
					case strings.HasSuffix(rc.mediaType, "json"):
						assert.True(t, utf8.Valid(rec.Body.Bytes()), "%s: JSON is UTF-8: %q", path, rec.Body.String())
						assert.True(t, json.Valid(rec.Body.Bytes()))
						if rc.name == "JSON" && path == "/public" {
							desc, _ := jsonBody(t, rec)["description"].(string)
							assert.Contains(t, desc, "\uFFFD", "invalid bytes become replacement characters")
							assert.True(t, strings.HasPrefix(desc, "bad ") && strings.Contains(desc, " ok "), "the valid text is kept: %q", desc)
						}
					default:
						assert.True(t, utf8.Valid(rec.Body.Bytes()), "%s: text is UTF-8: %q", path, rec.Body.String())
					}
				}
			})
		}
	}
}

// megabyteMessages: a 1 MB public message is sent whole in every renderer;
// the same text as an internal error's still gives a well-formed body, and
// outside debug mode a small one without it.
func (s *suite) megabyteMessages(t *testing.T) {
	big := strings.Repeat("a<&\"", 1<<18)
	for _, debug := range []bool{true, false} {
		for _, rc := range s.allRenderers() {
			name := rc.name
			if !debug {
				name += "/debug=false"
			}
			t.Run(name, func(t *testing.T) {
				e := s.serve(t, App{
					Options: []Option{s.f.WithRenderer(rc.r), s.f.WithDebug(debug)},
					Routes:  []Endpoint{GET("/public", Fail(s.f.HTTPError(400, big))), GET("/internal", Fail(errors.New(big)))},
				})
				rec := e.get("/public")
				assert.Equal(t, 400, rec.Code)
				assert.Greater(t, rec.Body.Len(), 1<<20, "the message is sent whole")
				if rc.name == "JSON" {
					assert.Equal(t, big, jsonBody(t, rec)["description"], "the message is sent whole")
				}
				rec = e.get("/internal")
				assert.Equal(t, 500, rec.Code)
				if strings.HasSuffix(rc.mediaType, "json") {
					assert.True(t, json.Valid(rec.Body.Bytes()))
				}
				if !debug {
					assert.Less(t, rec.Body.Len(), 64<<10, "internal text is not sent")
					if rc.name == "JSON" {
						assert.Less(t, rec.Body.Len(), 1024, "internal text is not sent")
						assert.Equal(t, s.desc(500), jsonBody(t, rec)["description"])
					}
				}
				e.records(t, 2)
			})
		}
	}
}

// redaction: in debug mode the values of the secret headers are redacted
// from the error chain, the request line and the headers, and redaction
// does not deface text: a short value is replaced only where it stands as
// a whole token (between spaces, quotes, =, ; and the like, or at the ends
// of the text), never inside a word, a number, a version or a header
// name; a value of 8 bytes or more wherever it occurs.
func (s *suite) redaction(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:pw"))
	for _, tc := range []struct {
		name    string
		headers []string
		message string
		want    []string // in the Text renderer's debug output
		absent  []string // in no renderer's body
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
	} {
		for _, rc := range s.allRenderers() {
			t.Run(tc.name+"/"+rc.name, func(t *testing.T) {
				e := s.failing(t, errors.New(tc.message), s.f.WithDebug(true), s.f.WithRenderer(rc.r))
				body := e.get("/x", tc.headers...).Body.String()
				for _, secret := range tc.absent {
					assert.NotContains(t, body, secret)
				}
				if rc.name == "Text" {
					for _, want := range tc.want {
						assert.Contains(t, body, want)
					}
				}
			})
		}
	}
}

// proxyText: Echo's Proxy middleware answers an unreachable upstream with
// a 502 that holds the upstream's address and the dial error (Echo v4 in
// its message, Echo v5 in the error it wraps). Clients never get the
// address; the log does. (What v4's message becomes is the v4 face's own:
// the root's proxy_test.go.)
func (s *suite) proxyText(t *testing.T) {
	const upstream = "127.0.0.1:1" // nothing listens there: the dial is refused at once
	for _, rc := range s.allRenderers() {
		t.Run(rc.name, func(t *testing.T) {
			e := s.serve(t, App{
				Options: []Option{s.f.WithRenderer(rc.r), s.f.WithDebug(false)},
				Use:     []Middleware{{Kind: KindProxy, Upstream: "http://" + upstream}},
			})
			rec := e.get("/up/orders")
			require.Equal(t, http.StatusBadGateway, rec.Code)
			body := rec.Body.String()
			assert.NotContains(t, body, upstream)
			assert.NotContains(t, body, "127.0.0.1")
			assert.Contains(t, RecordText(e.record(t)), upstream, "the log has the upstream's address")
		})
	}
}

// assertOwnScriptsOnly checks that an HTML page holds no script but its
// own: none outside debug mode, the debug section's copy button's one in
// debug mode, and never one from the error's text.
func assertOwnScriptsOnly(t testing.TB, body string, debug bool) {
	t.Helper()
	want := 0
	if debug {
		want = 1
		assert.Contains(t, body, "<script>\n(function () {\n  var button = document.getElementById(\"echoerr-copy\")")
	}
	assert.Equal(t, want, strings.Count(strings.ToLower(body), "<script"), "scripts on the page")
	assert.NotContains(t, body, "<script>alert")
}
