package facetest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Invariant 1, one final response, whole and framed, under the writers,
// headers and serializers between echoerr and the connection; and invariant
// 6 for a serializer that panics.
func (s *suite) framing(t *testing.T) {
	t.Run("an error inside a buffering Gzip gets one whole, framed document", s.bufferingGzip)
	t.Run("a route's part of a body held back by Gzip gets nothing appended", s.partialInGzip)
	t.Run("a handler's own page held back by Gzip stands alone", s.handlerPageInGzip)
	t.Run("an error under a writer that does not unwrap gets one whole document", s.plainWriter)
	t.Run("framing headers set in any letter case are replaced", s.oddCaseFraming)
	t.Run("a panicking JSON serializer gets the minimal 500 and the server lives", s.panickingSerializer)
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
	text := string(body)
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

// Invariant 1: a page a handler writes itself is the final response, also
// while Gzip holds it in its buffer; it is logged with its own status.
func (s *suite) handlerPageInGzip(t *testing.T) {
	page := s.f.OnCode(http.StatusConflict, func(c Ctx, _ error) error {
		return c.JSON(http.StatusTeapot, map[string]any{"code": http.StatusConflict})
	})
	use := []Middleware{{Kind: KindGzip, MinLength: 2048}, Use(KindEchoerr)}
	e := s.serve(t, App{Options: []Option{page}, Use: use, Routes: []Endpoint{
		GET("/x", Fail(s.f.HTTPError(http.StatusConflict, "The order was already shipped."))),
	}})
	res, body := onConn(t, e.h, "GET /x", "Accept-Encoding: gzip")
	assert.Equal(t, http.StatusTeapot, res.StatusCode)
	assertOneDocument(t, "JSON", decoded(t, res, body))
	assertStatusAttr(t, e.record(t), http.StatusTeapot)
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

// Invariants 1 and 6: EchoJSON encodes with e.JSONSerializer; one that
// panics is recovered into the minimal 500, logged once, and the server
// serves the next request as usual.
func (s *suite) panickingSerializer(t *testing.T) {
	e := s.serve(t, App{
		JSONSerializerPanics: true,
		Options:              []Option{s.f.WithRenderer(s.f.EchoJSON())},
		Routes: []Endpoint{
			GET("/x", Fail(s.f.HTTPError(http.StatusNotFound, "No such order."))),
			GET("/ok", func(c Ctx) error { return c.String(http.StatusOK, "ok") }),
		},
	})
	for i := 0; i < 2; i++ {
		res, body := onConn(t, e.h, "GET /x")
		require.Equal(t, http.StatusInternalServerError, res.StatusCode, "body %q", body)
		assert.Equal(t, "500 Internal Server Error\n", string(body))
		assertSafety(t, res.Header)
		r := e.record(t)
		assert.Contains(t, RecordText(r), PanicSerializing)
		e.Log.Reset()
	}
	res, body := onConn(t, e.h, "GET /ok")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "ok", string(body))
}
