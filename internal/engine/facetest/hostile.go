package facetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hostile input: the server must live, and every response stays well
// formed.
func (s *suite) hostile(t *testing.T) {
	t.Run("markup and CR/LF in messages", func(t *testing.T) {
		msg := "line one\r\nSet-Cookie: evil=1\r\n<script>alert(1)</script>\x1b[31m"
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
						case "text/html":
							assert.NotContains(t, body, "<script>")
						default:
							assert.NotContains(t, body, "<script>")
							assert.True(t, json.Valid(rec.Body.Bytes()), "valid JSON: %q", body)
						}
					}
				})
			}
		}
	})
	t.Run("invalid UTF-8", func(t *testing.T) {
		msg := "bad \xff\xfe\xc3 bytes"
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
						default:
							assert.True(t, utf8.Valid(rec.Body.Bytes()), "%s: text is UTF-8: %q", path, rec.Body.String())
						}
					}
				})
			}
		}
	})
	t.Run("1 MB messages", func(t *testing.T) {
		big := strings.Repeat("a<&\"", 1<<18)
		for _, rc := range s.allRenderers() {
			t.Run(rc.name, func(t *testing.T) {
				e := s.serve(t, App{
					Options: []Option{s.f.WithRenderer(rc.r), s.f.WithDebug(true)},
					Routes:  []Endpoint{GET("/public", Fail(s.f.HTTPError(400, big))), GET("/internal", Fail(errors.New(big)))},
				})
				rec := e.get("/public")
				assert.Equal(t, 400, rec.Code)
				assert.Greater(t, rec.Body.Len(), 1<<20, "the message is sent whole")
				rec = e.get("/internal")
				assert.Equal(t, 500, rec.Code)
				if strings.HasSuffix(rc.mediaType, "json") {
					assert.True(t, json.Valid(rec.Body.Bytes()))
				}
			})
		}
	})
	t.Run("cyclic and huge chains", s.chains)
	t.Run("failing writers", s.failingWriters)
	t.Run("the server lives on a real server", s.lives)
}

// chains: a chain that never ends, or is very long or very wide, is walked
// a bounded number of links, by every renderer and every rung, in debug
// mode too.
func (s *suite) chains(t *testing.T) {
	errs := map[string]error{
		"Unwrap returns itself":        &Cycle{Msg: "self"},
		"two links unwrapping to each": TwoCycle(),
		"a join holding itself":        JoinCycle(),
		"100 000 links":                Deep(100000, s.f.HTTPError(409, "Deep.")),
		"10 000 joined branches":       Wide(10000, s.f.HTTPError(409, "Wide.")),
		"a cycle below a carrier":      s.f.WrapHTTPError(409, "Above a cycle.", TwoCycle()),
	}
	for name, err := range errs {
		for _, rc := range s.allRenderers() {
			t.Run(name+"/"+rc.name, func(t *testing.T) {
				c := &Calls{}
				e := s.serve(t, App{
					Options: []Option{
						s.f.WithRenderer(rc.r), s.f.WithDebug(true),
						s.f.OnType(TypeValidation, c.Take("type")), s.f.OnType(TypeTemporary, c.Take("iface")),
						s.f.OnError(ErrSentinel, c.Take("value")), s.f.OnHTTPError(c.Result("http", s.f.Pass())),
					},
					Routes: []Endpoint{GET("/x", Fail(err))},
				})
				rec := e.get("/x")
				assert.True(t, rec.Code == 409 || rec.Code == 500, "a status: %d", rec.Code)
				assertSafety(t, rec.Header())
				e.record(t)
				assert.Equal(t, rec.Code, s.f.StatusOf(err), "StatusOf agrees")
				assert.NotContains(t, c.Ran(), "type")
			})
		}
	}
}

// failWriter is a ResponseWriter whose body writes fail with err, or
// panic.
type failWriter struct {
	*httptest.ResponseRecorder
	panics bool
	err    error // errors.New("write: broken pipe") when nil
}

func (w *failWriter) Write([]byte) (int, error) {
	if w.panics {
		panic("facetest: writer panicked")
	}
	if w.err != nil {
		return 0, w.err
	}
	return 0, errors.New("write: broken pipe")
}

// failingWriters: a connection that breaks while the error is written is
// logged once, as an error, and nothing escapes.
func (s *suite) failingWriters(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panics=%v", panics), func(t *testing.T) {
			e := s.failing(t, errors.New("boom"))
			for _, path := range []string{"/x", "/missing"} {
				e.Log.Reset()
				w := &failWriter{ResponseRecorder: httptest.NewRecorder(), panics: panics}
				serveOrFail(t, e.h, w, newRequest(http.MethodGet, path))
				r := e.record(t)
				assert.Equal(t, slog.LevelError, r.Level, "a failed write is an error, whatever the status")
			}
			assert.Equal(t, http.StatusNotFound, e.get("/nope").Code, "the server lives")
		})
	}
	// Invariant 2: a client that went away is not logged as an error. A
	// write that fails because the connection was closed or reset is the
	// client gone, found while writing: 499, at Debug, not reported.
	// So is a write refused with context.Canceled on a request whose
	// context was cancelled: http.TimeoutHandler's writer, once net/http
	// cancelled the request for a closed connection.
	t.Run("a connection the client closed is a gone client, not a failure", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			err      error
			canceled bool
		}{
			{"EPIPE", &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}, false},
			{"ECONNRESET", &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}, false},
			{"context.Canceled on a cancelled request", context.Canceled, true},
		} {
			e := s.failing(t, errors.New("boom"))
			w := &failWriter{ResponseRecorder: httptest.NewRecorder(), err: tc.err}
			req := newRequest(http.MethodGet, "/x")
			if tc.canceled {
				ctx, cancel := context.WithCancel(req.Context())
				cancel()
				req = req.WithContext(ctx)
			}
			serveOrFail(t, e.h, w, req)
			r := e.record(t)
			assert.Equal(t, slog.LevelDebug, r.Level, "%s: %s", tc.name, RecordText(r))
			assertStatusAttr(t, r, StatusClientClosedRequest)
			e.reports(t, 0)
		}
	})
}

// lives: hostile requests against a real server on loopback, one after
// another on the same client; the server answers each and then a normal
// request.
func (s *suite) lives(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	e := s.serve(t, App{
		Options: []Option{
			s.f.OnCode(418, func(Ctx, error) error { panic("handler panicked") }),
			s.f.OnCode(409, func(c Ctx, err error) error { return c.JSON(409, map[string]string{"ok": "handler page"}) }),
		},
		Use: []Middleware{Use(KindRecover)},
		Routes: []Endpoint{
			GET("/big", Fail(s.f.HTTPError(400, big))),
			GET("/header", Fail(s.f.NewError(Canonical{Code: 401, Header: http.Header{"Www-Authenticate": {"Bearer\r\nSet-Cookie: evil=1"}}}))),
			GET("/cycle", Fail(TwoCycle())),
			GET("/panic", func(Ctx) error { panic("route panicked") }),
			GET("/teapot", Fail(&Coded{Code: 418})),
			GET("/typednil", Fail(TypedNil())),
			GET("/invalid", Fail(s.f.HTTPError(0, ""))),
			GET("/handled", Fail(s.f.HTTPError(409, "x"))),
			GET("/ok", func(c Ctx) error { return c.String(200, "ok") }),
		},
	})
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	get := func(path string, headers ...string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		for _, h := range headers {
			k, v, _ := strings.Cut(h, ":")
			req.Header.Set(k, strings.TrimSpace(v))
		}
		res, err := srv.Client().Do(req)
		require.NoError(t, err, path)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err, path)
		return res, body
	}
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/big", 400}, {"/header", 401}, {"/cycle", 500}, {"/panic", 500}, {"/teapot", 500},
		{"/typednil", 500}, {"/invalid", 500}, {"/handled", 409}, {"/missing", 404},
	} {
		for _, accept := range []string{"", "text/html", "text/plain", "garbage;;q=,", "application/problem+json"} {
			res, body := get(tc.path, "Accept: "+accept)
			assert.Equal(t, tc.code, res.StatusCode, "%s Accept %q", tc.path, accept)
			if tc.path != "/handled" { // a handler's own page: see Handlers
				assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"), "%s Accept %q", tc.path, accept)
				assert.Equal(t, "no-store", res.Header.Get("Cache-Control"), "%s Accept %q", tc.path, accept)
			}
			assert.Empty(t, res.Header.Values("Set-Cookie"), "no header injection")
			assert.NotEmpty(t, body)
		}
	}
	res, body := get("/big")
	assert.Greater(t, len(body), 1<<20, "the 1 MB message arrives whole")
	assert.True(t, json.Valid(body))
	assert.Equal(t, 400, res.StatusCode)
	res, body = get("/ok")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "ok", string(body))
}
