package facetest

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Renderers.
func (s *suite) renderers(t *testing.T) {
	t.Run("JSON: code, name, description, then extensions", func(t *testing.T) {
		rec := s.failing(t, s.f.NotFound(), s.f.WithRenderer(s.f.JSON())).get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, "application/json", mediaType(rec.Header()))
		assert.True(t, strings.HasPrefix(rec.Body.String(), `{"code":404,"name":"Not Found","description":`), rec.Body.String())
		assert.Equal(t, s.defaultJSON(404), jsonBody(t, rec))
		rich := &Rich{Code: 409, Desc: "Taken.", Ext: map[string]any{"field": "email", "n": 2}, Msg: "m"}
		rec = s.failing(t, rich, s.f.WithRenderer(s.f.JSON())).get("/x")
		assert.Equal(t, []string{"code", "name", "description", "field", "n"}, topLevelKeys(t, rec.Body.Bytes()))
		assert.Equal(t, map[string]any{"code": 409.0, "name": "Conflict", "description": "Taken.", "field": "email", "n": 2.0}, jsonBody(t, rec))
	})
	t.Run("Problem: RFC 9457 members and extensions", func(t *testing.T) {
		rich := &Rich{Code: 409, Desc: "Taken.", Ext: map[string]any{"field": "email"}, Msg: "m"}
		rec := s.failing(t, rich, s.f.WithRenderer(s.f.Problem())).get("/x")
		require.Equal(t, 409, rec.Code)
		assert.Equal(t, "application/problem+json", mediaType(rec.Header()))
		m := jsonBody(t, rec)
		assert.Equal(t, "about:blank", m["type"])
		assert.Equal(t, "Conflict", m["title"])
		assert.Equal(t, 409.0, m["status"])
		assert.Equal(t, "Taken.", m["detail"])
		assert.Equal(t, "email", m["field"])
		for k := range m {
			assert.Contains(t, []string{"type", "title", "status", "detail", "instance", "field"}, k)
		}
	})
	t.Run("HTML: pages by status, the user's files first at every level", s.htmlLookup)
	t.Run("HTML: the debug page, and pages of the user's in debug mode", s.htmlDebug)
	t.Run("Text: status line, blank line, description", func(t *testing.T) {
		rec := s.failing(t, s.f.NotFound(), s.f.WithRenderer(s.f.Text())).get("/x")
		assert.Equal(t, "text/plain", mediaType(rec.Header()))
		assert.Equal(t, "404 Not Found\n\n"+s.desc(404)+"\n", rec.Body.String())
	})
	t.Run("Negotiate by Accept", s.negotiate)
	t.Run("EchoJSON writes what Echo's default handler writes", s.echoJSON)
	t.Run("a custom renderer gets the canonical error", func(t *testing.T) {
		csv := s.f.CustomRenderer("text/csv", func(c Ctx, fe Canonical) error {
			c.Header().Set("Content-Type", "text/csv")
			c.WriteHeader(fe.Code)
			_, err := fmt.Fprintf(writerOf(c), "%d,%s,%s\n", fe.Code, fe.Name, fe.Description)
			return err
		})
		e := s.failing(t, s.f.HTTPError(409, "Taken."), s.f.WithRenderer(s.f.Negotiate(s.f.JSON(), csv)))
		rec := e.get("/x", "Accept: text/csv")
		assert.Equal(t, "409,Conflict,Taken.\n", rec.Body.String())
		assertSafety(t, rec.Header())
		assert.Equal(t, "application/json", mediaType(e.get("/x").Header()))
	})
}

// ctxWriter is an io.Writer over a Ctx.
type ctxWriter struct{ c Ctx }

func (w ctxWriter) Write(p []byte) (int, error) { return w.c.Write(p) }

func writerOf(c Ctx) ctxWriter { return ctxWriter{c} }

// htmlLookup: 404.html, then 4xx.html, then error.html, the user's
// TemplateFS first at every level; a user page gets .Code, .Name and
// .Description, escaped.
func (s *suite) htmlLookup(t *testing.T) {
	page := func(tag string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(tag + ` {{.Code}}|{{.Name}}|{{.Description}}`)}
	}
	t.Run("built-in pages", func(t *testing.T) {
		for _, code := range []int{404, 500, 418} {
			rec := s.failing(t, s.f.NewError(Canonical{Code: code}), s.f.WithRenderer(s.f.HTML(nil))).get("/x")
			require.Equal(t, code, rec.Code)
			assert.Equal(t, "text/html", mediaType(rec.Header()))
			body := rec.Body.String()
			assert.Contains(t, body, template.HTMLEscapeString(s.name(code)))
			assert.Contains(t, body, template.HTMLEscapeString(s.desc(code)))
			assert.Contains(t, strings.ToLower(body), "<!doctype html>")
		}
	})
	t.Run("a user layout.html replaces the built-in pages' layout", func(t *testing.T) {
		fsys := fstest.MapFS{"layout.html": {Data: []byte(`<main class="user-layout">{{block "content" .}}{{.Description}}{{end}}</main>`)}}
		rec := s.failing(t, s.f.NotFound(), s.f.WithRenderer(s.f.HTML(fsys))).get("/x")
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.True(t, strings.HasPrefix(rec.Body.String(), `<main class="user-layout">`), rec.Body.String())
		assert.Contains(t, rec.Body.String(), template.HTMLEscapeString(s.desc(404)), "the built-in 404 page's content")
	})
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		code int
		want string
	}{
		{"a user 4xx.html beats the built-in 404.html", fstest.MapFS{"4xx.html": page("user-4xx")}, 404, "user-4xx 404|Not Found|"},
		{"a user 404.html beats a user 4xx.html", fstest.MapFS{"4xx.html": page("user-4xx"), "404.html": page("user-404")}, 404, "user-404 404|Not Found|"},
		{"a user 4xx.html beats a user error.html", fstest.MapFS{"4xx.html": page("user-4xx"), "error.html": page("user-error")}, 418, "user-4xx 418|I&#39;m a teapot|"},
		{"a user error.html for a status without a page", fstest.MapFS{"error.html": page("user-error")}, 799, "user-error 799|Error 799|"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.failing(t, s.f.NewError(Canonical{Code: tc.code}), s.f.WithRenderer(s.f.HTML(tc.fsys))).get("/x")
			require.Equal(t, tc.code, rec.Code)
			assert.Equal(t, tc.want+template.HTMLEscapeString(s.desc(tc.code)), rec.Body.String())
		})
	}
}

// negotiate: the renderer serving the highest q-value wins, a more
// specific range gives a type its q-value, ties go to the order given, q=0
// excludes, and a garbage or unmatched Accept gets the first renderer.
func (s *suite) negotiate(t *testing.T) {
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	cases := []struct{ accept, want string }{
		{"", "application/json"},
		{"*/*", "application/json"},
		{browser, "text/html"},
		{"application/json", "application/json"},
		{"application/problem+json", "application/problem+json"},
		{"text/plain", "text/plain"},
		{"TEXT/HTML", "text/html"},
		{"text/*", "text/html"},
		{"text/plain;q=0.9, text/html;q=0.1", "text/plain"},
		{"text/*;q=0.2, text/plain;q=0.9", "text/plain"},
		{"text/html;q=0, */*", "application/json"},
		{"application/json;q=0.5, text/html;q=0.5", "application/json"},
		{"text/html;q=0.5, application/json;q=0.5", "application/json"},
		{"image/png", "application/json"},
		{"garbage;;;q=x, ,,,/", "application/json"},
		{`text/html;foo="a;q=0", text/plain;q=0.5`, "text/html"},
		{strings.Repeat("text/plain;q=0.1,", 2000) + "text/html", "text/html"},
	}
	r := s.f.Negotiate(s.f.JSON(), s.f.HTML(nil), s.f.Problem(), s.f.Text())
	e := s.failing(t, s.f.NotFound(), s.f.WithRenderer(r))
	for _, tc := range cases {
		name := tc.accept
		if len(name) > 60 {
			name = name[:60] + "..."
		}
		t.Run(name, func(t *testing.T) {
			rec := e.get("/x", "Accept: "+tc.accept)
			assert.Equal(t, tc.want, mediaType(rec.Header()))
			assert.Contains(t, strings.Join(rec.Header().Values("Vary"), ","), "Accept")
			assert.Equal(t, http.StatusNotFound, rec.Code)
		})
	}
	// Invariant 7: a list field sent over several lines is one list.
	t.Run("an Accept sent over several lines is one list", func(t *testing.T) {
		for _, tc := range []struct {
			lines []string
			want  string
		}{
			{[]string{"*/*;q=0.8", "text/html"}, "text/html"},
			{[]string{"application/json;q=0.1", "text/plain"}, "text/plain"},
			{[]string{"text/html;q=0", "*/*"}, "application/json"},
		} {
			req := newRequest(http.MethodGet, "/x")
			req.Header["Accept"] = tc.lines
			rec := e.serveReq(req)
			assert.Equal(t, tc.want, mediaType(rec.Header()), "Accept lines %q", tc.lines)
		}
		// The default renderer too: a browser's Accept split in two.
		d := s.failing(t, s.f.NotFound())
		req := newRequest(http.MethodGet, "/x")
		req.Header["Accept"] = []string{"application/xml;q=0.9, */*;q=0.8", "text/html,application/xhtml+xml"}
		assert.Equal(t, "text/html", mediaType(d.serveReq(req).Header()))
	})
	t.Run("the default renderer answers a garbage Accept with a well-formed page", func(t *testing.T) {
		for _, tc := range []struct{ name, accept, want string }{
			{"garbage", ";;;,,,q=q=q,\x00\x7f*/*/*;q=-1;q=NaN", "application/json"},
			{"short garbage", ";;;,,,q=q", "application/json"},
			{"only parameters", ";q=1;level=2", "application/json"},
			{"4 000 elements", strings.Repeat("text/html;q=0.1, ", 4000), "text/html"},
			{"4 000 elements without spaces", strings.Repeat("text/html;q=0.1,", 4000), "text/html"},
			{"64 KB of slashes", strings.Repeat("/", 64<<10), "application/json"},
			{"one 64 KB type", "application/" + strings.Repeat("x", 64<<10), "application/json"},
			{"invalid UTF-8", "text/\xff\xfe; q=\xc3", "application/json"},
			{"invalid UTF-8 as a type", "\xff/\xfe", "application/json"},
			{"a wildcard type with a subtype", "*/html", "application/json"},
			{"nothing", "", "application/json"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := s.serve(t, App{})
				rec := e.get("/nope", "Accept: "+tc.accept)
				require.Equal(t, http.StatusNotFound, rec.Code)
				assertSafety(t, rec.Header())
				assertContentLength(t, rec)
				require.Equal(t, tc.want, mediaType(rec.Header()))
				if tc.want == "application/json" {
					assert.False(t, strings.ContainsAny(rec.Body.String(), "<>&"), "HTML-sensitive characters escaped: %q", rec.Body.String())
					assert.Equal(t, s.defaultJSON(404), jsonBody(t, rec))
				} else {
					assertOneHTMLPage(t, rec.Body.String())
				}
				assert.Equal(t, slog.LevelInfo, e.record(t).Level)
			})
		}
	})
	t.Run("the default renderer: browsers get HTML, curl and API clients JSON", func(t *testing.T) {
		e := s.failing(t, s.f.NotFound())
		assert.Equal(t, "text/html", mediaType(e.get("/x", "Accept: "+browser).Header()))
		assert.Equal(t, "application/json", mediaType(e.get("/x", "Accept: */*").Header()))
		assert.Equal(t, "application/json", mediaType(e.get("/x").Header()))
		assert.Equal(t, "application/json", mediaType(e.get("/x", "Accept: application/json").Header()))
	})
}

// echoJSON: for the same error and debug setting, EchoJSON writes the
// status, Content-Type and body that Echo's own default handler writes,
// which the driver provides as the reference. Only a wrapped HTTP error's
// status differs (fixed).
func (s *suite) echoJSON(t *testing.T) {
	routes := []Endpoint{
		GET("/http", Fail(s.f.HTTPError(http.StatusBadRequest, "Missing name."))),
		GET("/http-default", Fail(s.f.HTTPError(http.StatusServiceUnavailable, ""))),
		GET("/http-500", Fail(s.f.HTTPError(http.StatusInternalServerError, "Try later."))),
		GET("/unknown", Fail(errors.New("boom"))),
		GET("/notfound", Fail(s.f.NotFound())),
		GET("/markup", Fail(s.f.HTTPError(http.StatusBadRequest, `<b>"quoted" & more</b>`))),
		Handle("*", "/head", Fail(s.f.HTTPError(http.StatusConflict, "Taken."))),
	}
	if s.caps.InnerHTTPErrorWins {
		routes = append(routes, GET("/inner", Fail(s.f.WrapHTTPError(500, "outer", s.f.HTTPError(403, "Inner.")))))
	}
	if s.caps.HTTPErrorAnyMessage {
		routes = append(routes,
			GET("/map", Fail(s.f.HTTPErrorValue(http.StatusUnprocessableEntity, map[string]any{"field": "email"}))),
			GET("/errmsg", Fail(s.f.HTTPErrorValue(http.StatusBadRequest, errors.New("strconv: bad digit")))),
		)
	}
	requests := [][2]string{{"GET", "/missing"}, {"POST", "/http"}, {"HEAD", "/head"}, {"HEAD", "/missing"}}
	for _, r := range routes {
		if r.Method == http.MethodGet {
			requests = append(requests, [2]string{"GET", r.Path})
		}
	}
	for _, debug := range []bool{false, true} {
		ref := s.serve(t, App{EchoDefault: true, Debug: debug, Routes: routes})
		got := s.serve(t, App{Debug: debug, Options: []Option{s.f.WithRenderer(s.f.EchoJSON()), s.f.WithDebug(debug)}, Routes: routes})
		for _, req := range requests {
			t.Run(fmt.Sprintf("%s %s/debug=%v", req[0], req[1], debug), func(t *testing.T) {
				want, have := ref.do(req[0], req[1]), got.do(req[0], req[1])
				assert.Equal(t, want.Code, have.Code, "status")
				assert.Equal(t, want.Body.String(), have.Body.String(), "body, byte for byte")
				if req[0] != http.MethodHead {
					assert.Equal(t, mediaType(want.Header()), mediaType(have.Header()), "Content-Type")
				}
				assertSafety(t, have.Header())
			})
		}
	}
	t.Run("a wrapped HTTP error keeps its status", func(t *testing.T) {
		rec := s.failing(t, fmt.Errorf("w: %w", s.f.HTTPError(409, "Taken.")), s.f.WithRenderer(s.f.EchoJSON())).get("/x")
		assert.Equal(t, 409, rec.Code)
		assert.Equal(t, map[string]any{"message": "Taken."}, jsonBody(t, rec))
	})
}
