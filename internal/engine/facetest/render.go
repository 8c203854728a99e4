package facetest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
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
		res, err := srv.Client().Get(srv.URL + "/x")
		require.NoError(t, err)
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusInternalServerError, res.StatusCode, "not an empty 200")
		assert.True(t, json.Valid(body), "a JSON body: %q", body)
	})
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
		assert.Equal(t, s.defaultJSON(405), jsonBody(t, rec))
	})
	t.Run("WWW-Authenticate from Unauthorized(description, challenge)", func(t *testing.T) {
		err := s.f.Unauthorized("Sign in with a token.", `Bearer realm="api"`)
		requireAPI(t, err)
		rec := s.failing(t, err).get("/x")
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Equal(t, `Bearer realm="api"`, rec.Header().Get("WWW-Authenticate"))
		assert.Equal(t, "Sign in with a token.", jsonBody(t, rec)["description"])
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
		err := s.f.UnprocessableEntity("The email address is invalid.")
		requireAPI(t, err)
		rec := s.failing(t, err).get("/x")
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Equal(t, map[string]any{"code": 422.0, "name": "Unprocessable Entity", "description": "The email address is invalid."}, jsonBody(t, rec))
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
