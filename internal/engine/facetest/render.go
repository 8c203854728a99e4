package facetest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The path of one error, step 5: rendering.
func (s *suite) render(t *testing.T) {
	t.Run("a committed response gets nothing more, and is logged and reported", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{GET("/x", func(c Ctx) error {
			if err := c.String(http.StatusOK, "ok"); err != nil {
				return err
			}
			return errors.New("late failure")
		})}})
		rec := e.get("/x")
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "ok", rec.Body.String())
		r := e.record(t)
		assert.Contains(t, RecordText(r), "late failure")
		assert.Equal(t, slog.LevelError, r.Level, "a server failure, even after the response")
		assertStatusAttr(t, r, http.StatusOK) // what the client got
		v, ok := RecordAttr(r, "error_status")
		assert.True(t, ok, "and what the error meant: %s", RecordText(r))
		assert.Equal(t, "500", v)
		e.reports(t, 1)
		assert.NotContains(t, e.EchoLog.String(), "committed")
	})
	t.Run("HEAD gets the status and headers without a body", s.head)
	t.Run("headers set earlier are kept", s.keptHeaders)
	t.Run("content headers are reset", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{GET("/x", staleHeaders(s.f.NotFound()))}})
		rec := e.get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assertNoStaleHeaders(t, rec.Header())
		assert.Equal(t, "application/json", mediaType(rec.Header()))
		assertContentLength(t, rec)
		assert.Equal(t, s.defaultJSON(404), jsonBody(t, rec))
	})
	t.Run("Gzip middleware: the error body is decodable", func(t *testing.T) {
		e := s.serve(t, App{Use: []Middleware{Use(KindGzip)}, Routes: []Endpoint{
			GET("/x", Fail(s.f.HTTPError(http.StatusBadRequest, strings.Repeat("Too long a message. ", 200)))),
		}})
		for _, path := range []string{"/x", "/missing"} {
			rec := e.get(path, "Accept-Encoding: gzip")
			body := rec.Body.Bytes()
			if rec.Header().Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				require.NoError(t, err, "%s: Content-Encoding says gzip", path)
				body, err = io.ReadAll(zr)
				require.NoError(t, err)
			}
			assert.True(t, json.Valid(body), "%s: a JSON body: %q", path, body)
		}
	})
	t.Run("the error's own headers are added", s.ownHeaders)
	t.Run("Retry-After is never negative or overflowed", func(t *testing.T) {
		for _, d := range []time.Duration{-time.Second, 0, time.Duration(math.MaxInt64), time.Duration(math.MaxInt64 - 1), time.Duration(math.MinInt64)} {
			for name, err := range map[string]error{"TooManyRequests": s.f.TooManyRequests(d), "ServiceUnavailable": s.f.ServiceUnavailable(d)} {
				rec := s.failing(t, err).get("/x")
				v := rec.Header().Get("Retry-After")
				if v == "" {
					continue
				}
				n, perr := strconv.ParseInt(v, 10, 64)
				assert.NoError(t, perr, "%s(%v): Retry-After %q is delay-seconds", name, d, v)
				assert.Positive(t, n, "%s(%v): Retry-After %q", name, d, v)
				assert.NotContains(t, v, "-", "%s(%v)", name, d)
			}
		}
	})
	t.Run("nosniff and no-store on every error response", s.safetyEverywhere)
	t.Run("a failing renderer answers a minimal page", func(t *testing.T) {
		e := s.failing(t, s.f.NotFound(), s.f.WithRenderer(s.f.CustomRenderer("application/json", func(Ctx, Canonical) error {
			return errors.New("render broke")
		})))
		rec := e.get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code, "the error's status")
		assert.Equal(t, "text/plain", mediaType(rec.Header()))
		assert.Contains(t, rec.Body.String(), "404")
		assert.Less(t, rec.Body.Len(), 200)
		assertSafety(t, rec.Header())
		r := e.record(t)
		assert.Equal(t, slog.LevelError, r.Level, "a render failure is an error")
		assert.Contains(t, RecordText(r), "render broke")
	})
	t.Run("a template failing halfway sends nothing of its page", func(t *testing.T) {
		pages := fstest.MapFS{"404.html": {Data: []byte(`<p>partial page</p>{{index .Extensions.list 5}}`)}}
		e := s.failing(t, s.f.NotFound(), s.f.WithRenderer(s.f.HTML(pages)))
		rec := e.get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.NotContains(t, rec.Body.String(), "partial page")
		assert.Equal(t, "text/plain", mediaType(rec.Header()))
		assertSafety(t, rec.Header())
		assert.Equal(t, slog.LevelError, e.record(t).Level)
	})
	t.Run("an error after an informational 1xx is answered", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{GET("/x", func(c Ctx) error {
			c.Header().Set("Link", "</app.css>; rel=preload; as=style")
			c.WriteHeader(http.StatusEarlyHints)
			return errors.New("failed after early hints")
		})}})
		srv := httptest.NewServer(e.h)
		defer srv.Close()
		var interim []int
		trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
			interim = append(interim, code)
			return nil
		}}
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, srv.URL+"/x", nil)
		require.NoError(t, err)
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, []int{http.StatusEarlyHints}, interim, "the early hints went out")
		require.Equal(t, http.StatusInternalServerError, res.StatusCode, "not an empty 200")
		assert.True(t, json.Valid(body), "a JSON body: %q", body)
		var got map[string]any
		require.NoError(t, json.Unmarshal(body, &got))
		assert.Equal(t, s.defaultJSON(500), got)
		assertSafety(t, res.Header)
		srv.Close()
		assertStatusAttr(t, e.record(t), http.StatusInternalServerError)
		e.reports(t, 1)
	})
	t.Run("a committed response is not touched: no handler runs, no header is added", func(t *testing.T) {
		e := s.serve(t, App{
			Options: []Option{s.f.OnAny(func(c Ctx, _ error) error {
				return c.String(http.StatusTeapot, "a handler must not run for a committed response")
			})},
			Routes: []Endpoint{GET("/half", func(c Ctx) error {
				c.Header().Set("Content-Type", "text/csv")
				c.WriteHeader(http.StatusOK)
				_, _ = c.Write([]byte("id,name\n1,"))
				return errors.New("database went away mid-stream")
			})},
		})
		rec := e.get("/half")
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "id,name\n1,", rec.Body.String(), "nothing appended")
		assert.Equal(t, "text/csv", rec.Header().Get("Content-Type"))
		assert.Empty(t, rec.Header().Get("X-Content-Type-Options"), "the headers were already sent")
		assert.Equal(t, slog.LevelError, e.record(t).Level)
		e.reports(t, 1)
	})
	t.Run("an error inside a buffering Gzip gets one whole, framed document", s.bufferingGzip)
	t.Run("a route's part of a body held back by Gzip gets nothing appended", s.partialInGzip)
	t.Run("an error under a writer that does not unwrap gets one whole document", s.plainWriter)
	t.Run("framing headers set in any letter case are replaced", s.oddCaseFraming)
}

// mediaType is the response's Content-Type without parameters.
func mediaType(h http.Header) string {
	mt, _, _ := strings.Cut(h.Get("Content-Type"), ";")
	return strings.TrimSpace(mt)
}

// assertContentLength checks that a Content-Length header, if any, is the
// body's length.
func assertContentLength(t testing.TB, rec *httptest.ResponseRecorder) {
	t.Helper()
	if v := rec.Header().Get("Content-Length"); v != "" {
		assert.Equal(t, strconv.Itoa(rec.Body.Len()), v, "Content-Length")
	}
}

// rendererCase is a renderer with the media type it writes.
type rendererCase struct {
	name      string
	r         Renderer
	mediaType string
}

func (s *suite) allRenderers() []rendererCase {
	return []rendererCase{
		{"JSON", s.f.JSON(), "application/json"},
		{"Problem", s.f.Problem(), "application/problem+json"},
		{"HTML", s.f.HTML(nil), "text/html"},
		{"Text", s.f.Text(), "text/plain"},
		{"EchoJSON", s.f.EchoJSON(), "application/json"},
		{"Negotiate", s.f.Negotiate(s.f.JSON(), s.f.HTML(nil)), "application/json"},
	}
}

// head: HEAD gets the status and headers, never a body, with every
// renderer; a Content-Length, if any, is the GET body's.
func (s *suite) head(t *testing.T) {
	for _, rc := range s.allRenderers() {
		t.Run(rc.name, func(t *testing.T) {
			e := s.serve(t, App{
				Options: []Option{s.f.WithRenderer(rc.r)},
				Routes:  []Endpoint{Handle("*", "/x", Fail(s.f.HTTPError(http.StatusConflict, "Taken.")))},
			})
			get := e.get("/x")
			for _, path := range []string{"/x", "/missing"} {
				rec := e.do(http.MethodHead, path)
				assert.NotEqual(t, http.StatusOK, rec.Code)
				assert.Empty(t, rec.Body.String(), "no body for HEAD")
				assert.Equal(t, rc.mediaType, mediaType(rec.Header()))
				assertSafety(t, rec.Header())
				if v := rec.Header().Get("Content-Length"); v != "" && path == "/x" {
					assert.Equal(t, strconv.Itoa(get.Body.Len()), v, "the length the body would have had")
				}
			}
			assert.Equal(t, http.StatusConflict, e.do(http.MethodHead, "/x").Code)
		})
	}
	t.Run("the default renderer, each error logged once", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{Handle("*", "/fail", Fail(errors.New("boom")))}})
		for path, code := range map[string]int{"/missing": http.StatusNotFound, "/fail": http.StatusInternalServerError} {
			rec := e.do(http.MethodHead, path)
			require.Equal(t, code, rec.Code, path)
			assert.Empty(t, rec.Body.String(), "no body for HEAD")
			assert.Equal(t, "application/json", mediaType(rec.Header()))
			assertSafety(t, rec.Header())
		}
		e.records(t, 2)
	})
	t.Run("on a real server the connection stays usable", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{Handle("*", "/x", Fail(errors.New("boom")))}})
		srv := httptest.NewServer(e.h)
		defer srv.Close()
		for i := 0; i < 3; i++ {
			req, err := http.NewRequest(http.MethodHead, srv.URL+"/x", nil)
			require.NoError(t, err)
			res, err := srv.Client().Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
			assert.Empty(t, body)
		}
		res, err := srv.Client().Get(srv.URL + "/x")
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.True(t, json.Valid(body))
	})
}

// keptHeaders: headers that middleware or the route set before the error
// (CORS, Secure, a trace id) stay on the error response.
func (s *suite) keptHeaders(t *testing.T) {
	const origin = "https://app.example"
	e := s.serve(t, App{
		Use: []Middleware{
			{Kind: KindCORS, Origin: origin},
			Use(KindSecure),
			Func(func(next Route) Route {
				return func(c Ctx) error { c.Header().Set("X-Trace-Id", "t-1"); return next(c) }
			}),
		},
		Routes: []Endpoint{
			GET("/fail", Fail(errors.New("boom"))),
			GET("/own", func(c Ctx) error { c.Header().Set("X-Route", "r"); return s.f.HTTPError(http.StatusConflict, "x") }),
		},
	})
	for _, path := range []string{"/fail", "/own", "/missing"} {
		rec := e.get(path, "Origin: "+origin)
		assert.GreaterOrEqual(t, rec.Code, 400, path)
		assert.Equal(t, origin, rec.Header().Get("Access-Control-Allow-Origin"), "%s: CORS headers kept", path)
		assert.NotEmpty(t, rec.Header().Get("X-Frame-Options"), "%s: Secure's headers kept", path)
		assert.Equal(t, "t-1", rec.Header().Get("X-Trace-Id"), path)
		assertSafety(t, rec.Header())
	}
	assert.Equal(t, "r", e.get("/own").Header().Get("X-Route"))
}

// ownHeaders: the error's own headers are added: Allow on a 405 from the
// router, WWW-Authenticate on a 401, Retry-After on 429 and 503, and a
// Headerer's headers.
func (s *suite) ownHeaders(t *testing.T) {
	t.Run("Allow on the router's 405", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{GET("/only-get", func(c Ctx) error { return c.String(200, "ok") })}})
		rec := e.do(http.MethodPost, "/only-get")
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		assert.Contains(t, rec.Header().Get("Allow"), http.MethodGet)
		want := s.defaultJSON(405)
		want["allow"] = rec.Header().Get("Allow")
		assert.Equal(t, want, jsonBody(t, rec), "the body names the allowed methods too")
	})
	t.Run("a 405 page names the allowed methods", func(t *testing.T) {
		e := s.serve(t, App{Routes: []Endpoint{GET("/only-get", func(c Ctx) error { return c.String(200, "ok") })}})
		rec := e.do(http.MethodPost, "/only-get", "Accept", "text/html")
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		assert.Contains(t, rec.Body.String(), template.HTMLEscapeString(rec.Header().Get("Allow")))
	})
	t.Run("an error's own allow member stays", func(t *testing.T) {
		err := s.f.NewError(Canonical{Code: 405, Extensions: map[string]any{"Allow": "PUT only"}, Header: http.Header{"Allow": {"PUT"}}})
		rec := s.failing(t, err).get("/x")
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		assert.Equal(t, "PUT", rec.Header().Get("Allow"))
		body := jsonBody(t, rec)
		assert.Equal(t, "PUT only", body["Allow"])
		assert.NotContains(t, body, "allow")
	})
	t.Run("WWW-Authenticate from Unauthorized(description, challenge)", func(t *testing.T) {
		for _, tc := range []struct {
			name, desc, challenge string
		}{
			{"a description and a challenge", "Sign in with a token.", `Bearer realm="api"`},
			{"the default description", "", `Basic realm="admin"`},
			{"no challenge", "Sign in first.", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := s.f.Unauthorized(tc.desc, tc.challenge)
				requireAPI(t, err)
				rec := s.failing(t, err).get("/x")
				require.Equal(t, http.StatusUnauthorized, rec.Code)
				assert.Equal(t, tc.challenge, rec.Header().Get("WWW-Authenticate"))
				want := tc.desc
				if want == "" {
					want = s.desc(http.StatusUnauthorized)
				}
				assert.Equal(t, want, jsonBody(t, rec)["description"])
			})
		}
	})
	t.Run("WWW-Authenticate from an *Error's Header", func(t *testing.T) {
		rec := s.failing(t, s.f.NewError(Canonical{Code: 401, Header: http.Header{"Www-Authenticate": {`Basic realm="x"`}}})).get("/x")
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Equal(t, `Basic realm="x"`, rec.Header().Get("WWW-Authenticate"))
	})
	t.Run("Retry-After on 429 and 503", func(t *testing.T) {
		rec := s.failing(t, s.f.TooManyRequests(30*time.Second)).get("/x")
		require.Equal(t, http.StatusTooManyRequests, rec.Code)
		assert.Equal(t, "30", rec.Header().Get("Retry-After"))
		rec = s.failing(t, s.f.ServiceUnavailable(1500*time.Millisecond)).get("/x")
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		assert.Equal(t, "2", rec.Header().Get("Retry-After"), "rounded up")
	})
	t.Run("a Headerer's headers, also wrapped", func(t *testing.T) {
		rich := &Rich{Code: http.StatusLocked, Desc: "Being edited.", Head: http.Header{"Retry-After": {"5"}}, Msg: "row locked"}
		rec := s.failing(t, &Wrapper{Msg: "save", Err: rich}).get("/x")
		require.Equal(t, http.StatusLocked, rec.Code)
		assert.Equal(t, "5", rec.Header().Get("Retry-After"))
	})
	t.Run("UnprocessableEntity(description)", func(t *testing.T) {
		for _, desc := range []string{"The email address is invalid.", ""} {
			err := s.f.UnprocessableEntity(desc)
			requireAPI(t, err)
			rec := s.failing(t, err).get("/x")
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
			want := desc
			if want == "" {
				want = s.desc(http.StatusUnprocessableEntity)
			}
			assert.Equal(t, map[string]any{"code": 422.0, "name": "Unprocessable Entity", "description": want}, jsonBody(t, rec))
			assert.Empty(t, rec.Header().Get("WWW-Authenticate"))
		}
	})
}

// safetyEverywhere: X-Content-Type-Options: nosniff and Cache-Control:
// no-store on every kind of error response.
func (s *suite) safetyEverywhere(t *testing.T) {
	for _, rc := range s.allRenderers() {
		t.Run(rc.name, func(t *testing.T) {
			e := s.serve(t, App{
				Options: []Option{s.f.WithRenderer(rc.r)},
				Routes: []Endpoint{
					GET("/unknown", Fail(errors.New("boom"))),
					GET("/http", Fail(s.f.HTTPError(400, "Bad."))),
					GET("/carrier", Fail(&Coded{Code: 418})),
					GET("/invalid", Fail(s.f.HTTPError(0, ""))),
				},
			})
			for _, req := range [][2]string{
				{"GET", "/unknown"}, {"GET", "/http"}, {"GET", "/carrier"}, {"GET", "/invalid"},
				{"GET", "/missing"}, {"POST", "/http"}, {"HEAD", "/unknown"},
			} {
				rec := e.do(req[0], req[1])
				assert.GreaterOrEqual(t, rec.Code, 400, "%v", req)
				assertSafety(t, rec.Header())
			}
		})
	}
	t.Run("a handler-written page", func(t *testing.T) {
		e := s.failing(t, errors.New("boom"), s.f.OnAny(func(c Ctx, _ error) error { return c.JSON(418, map[string]int{"n": 1}) }))
		assertSafety(t, e.get("/x").Header())
	})
	t.Run("the minimal page", func(t *testing.T) {
		e := s.failing(t, errors.New("boom"), s.f.WithRenderer(s.f.CustomRenderer("text/csv", func(Ctx, Canonical) error { return errors.New("no") })))
		assertSafety(t, e.get("/x").Header())
	})
	t.Run("a custom renderer's page", func(t *testing.T) {
		e := s.failing(t, errors.New("boom"), s.f.WithRenderer(s.f.CustomRenderer("text/csv", func(c Ctx, fe Canonical) error {
			c.Header().Set("Content-Type", "text/csv")
			c.WriteHeader(fe.Code)
			_, err := c.Write([]byte("code,name\n"))
			return err
		})))
		rec := e.get("/x")
		assert.Equal(t, "code,name\n", rec.Body.String())
		assertSafety(t, rec.Header())
	})
}

// gzipCase is one application of bufferingGzip.
type gzipCase struct {
	minLength int
	inner     string // the middleware inside Gzip: an in-chain handler, or none
	method    string
	renderer  string
}

func (c gzipCase) String() string {
	return fmt.Sprintf("MinLength %d, %s, %s, %s", c.minLength, c.inner, c.method, c.renderer)
}

// Invariant 1. Echo's Gzip holds back the status and, with MinLength, the
// first bytes of the body until its handler returns. A page written into
// that buffer (in the chain by echoerr.Middleware, or by RequestLogger and
// BodyDump calling the error handler) is written: nothing is appended to
// it, and its framing matches what goes out.
func (s *suite) bufferingGzip(t *testing.T) {
	inner := map[string][]Middleware{
		"Echoerr": {Use(KindEchoerr)}, "RequestLogger": {Use(KindRequestLogger)},
		"BodyDump": {Use(KindBodyDump)}, "no middleware": nil,
	}
	for _, minLength := range []int{0, 2048} {
		for _, name := range []string{"Echoerr", "RequestLogger", "BodyDump", "no middleware"} {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				for _, r := range []string{"JSON", "HTML"} {
					c := gzipCase{minLength: minLength, inner: name, method: method, renderer: r}
					use := append([]Middleware{{Kind: KindGzip, MinLength: minLength}}, inner[name]...)
					t.Run(c.String(), func(t *testing.T) { s.gzipCase(t, c, use) })
				}
			}
		}
	}
}

func (s *suite) gzipCase(t *testing.T, c gzipCase, use []Middleware) {
	renderer := s.f.JSON()
	if c.renderer == "HTML" {
		renderer = s.f.HTML(nil)
	}
	fail := Fail(s.f.HTTPError(http.StatusConflict, "The order was already shipped."))
	e := s.serve(t, App{Options: []Option{s.f.WithRenderer(renderer)}, Use: use, Routes: []Endpoint{
		Handle(http.MethodGet, "/x", fail), Handle(http.MethodHead, "/x", fail),
	}})
	res, body := onConn(t, e.h, c.method+" /x", "Accept-Encoding: gzip")
	require.Equal(t, http.StatusConflict, res.StatusCode)
	assertSafety(t, res.Header)
	wantType := map[string]string{"JSON": "application/json", "HTML": "text/html"}[c.renderer]
	assert.Equal(t, wantType, strings.TrimSpace(strings.Split(res.Header.Get("Content-Type"), ";")[0]))
	if c.method == http.MethodHead {
		assert.Empty(t, body, "HEAD: no body")
	} else {
		assertOneDocument(t, c.renderer, decoded(t, res, body))
	}
	r := e.record(t)
	_, failed := RecordAttr(r, "render_error")
	assert.False(t, failed, "no render failure: %s", RecordText(r))
	assertStatusAttr(t, r, http.StatusConflict)
}

// assertOneDocument checks that body is one complete document of kind.
func assertOneDocument(t testing.TB, kind string, body []byte) {
	t.Helper()
	if kind == "JSON" {
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m), "one JSON document: %q", body)
		assert.Equal(t, float64(http.StatusConflict), m["code"])
		return
	}
	assertOneHTMLPage(t, string(body))
}

// assertOneHTMLPage checks that text is one whole HTML page.
func assertOneHTMLPage(t testing.TB, text string) {
	t.Helper()
	assert.Equal(t, 1, strings.Count(strings.ToLower(text), "<!doctype html"), "one HTML page: %q", text)
	assert.True(t, strings.HasSuffix(strings.TrimSpace(text), "</html>"), "the page is whole: %q", text)
}

// decoded returns body without its gzip content coding, if it has one.
func decoded(t testing.TB, res *http.Response, body []byte) []byte {
	t.Helper()
	switch ce := res.Header.Values("Content-Encoding"); {
	case len(ce) == 0:
		return body
	case len(ce) == 1 && ce[0] == "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(t, err, "a gzip body: %q", body)
		plain, err := io.ReadAll(zr)
		require.NoError(t, err, "the whole gzip body")
		return plain
	default:
		t.Fatalf("Content-Encoding %q", ce)
		return nil
	}
}

// onConn serves h on a real loopback server and sends it one request,
// request being "METHOD /path", over a connection of its own that the
// client closes after the response: the response must be framed so that
// exactly its body is read, and nothing may follow it.
func onConn(t testing.TB, h http.Handler, request string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	method, _, _ := strings.Cut(request, " ")
	msg := request + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
	for _, hd := range headers {
		msg += hd + "\r\n"
	}
	_, err = io.WriteString(conn, msg+"\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, &http.Request{Method: method})
	require.NoError(t, err, "a well-formed response")
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err, "a body as long as its framing says")
	if res.ContentLength >= 0 && method != http.MethodHead {
		assert.Equal(t, res.ContentLength, int64(len(body)), "Content-Length")
	}
	rest, err := io.ReadAll(br)
	require.NoError(t, err)
	assert.Empty(t, string(rest), "nothing follows the response on the connection")
	return res, body
}

// Invariant 1: nothing is appended to a response whose headers already
// went out, even when Gzip still holds them (and the bytes written) in its
// buffer when the error is handled in the chain. The error is logged with
// the status the client got.
func (s *suite) partialInGzip(t *testing.T) {
	route := func(c Ctx) error {
		c.Header().Set("Content-Type", "text/plain; charset=utf-8")
		c.WriteHeader(http.StatusOK)
		if _, err := c.Write([]byte("partial")); err != nil {
			return err
		}
		return s.f.HTTPError(http.StatusConflict, "The order was already shipped.")
	}
	use := []Middleware{{Kind: KindGzip, MinLength: 2048}, Use(KindEchoerr)}
	e := s.serve(t, App{Use: use, Routes: []Endpoint{GET("/x", route)}})
	res, body := onConn(t, e.h, "GET /x", "Accept-Encoding: gzip")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "partial", string(decoded(t, res, body)))
	assertStatusAttr(t, e.record(t), http.StatusOK)
}

// Invariant 1: a user's writer wrapper without Unwrap hides Echo's
// response, and what it records, from echoerr; what went through c's
// writer is still written, and gets nothing appended.
func (s *suite) plainWriter(t *testing.T) {
	fail := Fail(s.f.HTTPError(http.StatusConflict, "The order was already shipped."))
	for _, use := range [][]Middleware{{Use(KindPlainWriter)}, {Use(KindPlainWriter), Use(KindEchoerr)}} {
		e := s.serve(t, App{Use: use, Routes: []Endpoint{GET("/x", fail)}})
		res, body := onConn(t, e.h, "GET /x")
		require.Equal(t, http.StatusConflict, res.StatusCode, "%v", use)
		assertOneDocument(t, "JSON", body)
		r := e.record(t)
		_, failed := RecordAttr(r, "render_error")
		assert.False(t, failed, "no render failure: %s", RecordText(r))
	}
}

// framingHeaders are headers that describe a body other than the error's,
// in the letter cases a route can set them with as map entries.
var framingHeaders = http.Header{
	"content-length":    {"3"},
	"CONTENT-ENCODING":  {"br"},
	"transfer-encoding": {"gzip, chunked"},
	"Content-Type":      {"image/png"},
}

// Invariant 1: Content-Length, Transfer-Encoding and Content-Encoding
// match the bytes sent, whatever headers the route or the error set, in
// whatever letter case (an http.Header written as a map keeps its keys as
// they are, and net/http sends them so).
func (s *suite) oddCaseFraming(t *testing.T) {
	route := func(c Ctx) error {
		for k, v := range framingHeaders {
			c.Header()[k] = v
		}
		return s.f.HTTPError(http.StatusConflict, "The order was already shipped.")
	}
	carried := s.f.NewError(Canonical{Code: http.StatusConflict, Header: framingHeaders.Clone()})
	for _, use := range [][]Middleware{nil, {Use(KindEchoerr)}, {{Kind: KindGzip, MinLength: 2048}, Use(KindEchoerr)}} {
		e := s.serve(t, App{Use: use, Routes: []Endpoint{GET("/route", route), GET("/error", Fail(carried))}})
		for _, path := range []string{"/route", "/error"} {
			res, body := onConn(t, e.h, "GET "+path, "Accept-Encoding: gzip")
			require.Equal(t, http.StatusConflict, res.StatusCode, "%s %v", path, use)
			assert.Equal(t, "application/json", res.Header.Get("Content-Type"), "%s %v", path, use)
			assertOneDocument(t, "JSON", decoded(t, res, body))
		}
	}
}
