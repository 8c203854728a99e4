package facetest

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/echoerr/echoerr/httperr"
)

// debugPage: what the debug detail says about where an error came from.
func (s *suite) debugPage(t *testing.T) {
	t.Run("echoerr's Recover inlined into the application is not the application's code, and the stacks start at the panic site", s.inlinedRecover)
	t.Run("an error without a stack is located at the handler Echo ran for the route", s.handlerLocation)
}

// debugDetailOf serves app in debug mode with a renderer that keeps the
// debug detail it is given, requests target, and returns that detail.
func (s *suite) debugDetailOf(t *testing.T, app App, target string) (*httperr.DebugInfo, *env) {
	t.Helper()
	var got *httperr.DebugInfo
	keep := s.f.CustomRenderer("application/json", func(c Ctx, e Canonical) error {
		got = e.Debug
		return c.JSON(e.Code, map[string]any{"code": e.Code})
	})
	app.Options = append(app.Options, s.f.WithDebug(true), s.f.WithRenderer(keep))
	e := s.serve(t, app)
	e.get(target)
	require.NotNil(t, got, "the renderer got the debug detail")
	return got, e
}

// inlinedRecover: the driver calls echoerr's Recover() from a function of
// its own test package, the application of a face's tests (its main module
// is the face's module), where the compiler inlines it: the recovery
// closures are then named after the driver's function, as they are named
// main.main.Recover.func1.1 in a main package, and only their file tells
// that they are echoerr's. None of echoerr's, Echo's or the suite's frames
// is the application's; the driver's route is. The log's stack and the
// debug page's start at the frame that panicked.
func (s *suite) inlinedRecover(t *testing.T) {
	d, e := s.debugDetailOf(t, App{
		Use:    []Middleware{Use(KindRecoverStack)},
		Routes: []Endpoint{GET("/panic", panickingRoute)},
	}, "/panic")
	require.NotEmpty(t, d.Frames, "the stack parsed: %s", d.Stack)
	assert.Contains(t, d.Frames[0].Function, "facetest.panickingRoute", "the stack starts at the panic site")

	inlined, app := false, false
	for _, f := range d.Frames {
		if strings.Contains(f.Function, "_test.") && strings.Contains(f.Function, ".Recover.func") {
			inlined = true
		}
		if f.App {
			app = true
			assert.True(t, strings.HasSuffix(f.File, "_test.go"), "only the driver's code, in its tests, is the application's: %s at %s", f.Function, f.File)
		}
		library := strings.Contains(f.Function, "github.com/labstack/echo") || strings.Contains(f.File, "labstack/echo") ||
			strings.Contains(f.Function, "internal/engine") || strings.Contains(f.Function, ".Recover.func")
		assert.False(t, library && f.App, "%s at %s is not the application's", f.Function, f.File)
	}
	require.True(t, inlined, "the driver's Recover is inlined, its closures named after the driver: %s", d.Stack)
	assert.True(t, app, "the driver's route is the application's: %s", d.Stack)

	stack := ""
	for _, r := range e.Log.Records() {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "stack" {
				stack = a.Value.String()
			}
			return true
		})
	}
	_, afterHeader, _ := strings.Cut(stack, "\n")
	assert.True(t, strings.HasPrefix(afterHeader, "github.com/echoerr/echoerr/internal/engine/facetest.panickingRoute("),
		"the log's stack starts at the panic site: %s", stack)
}

// handlerLocation: a plain error carries no stack; the debug detail names
// the handler Echo ran for the route (here the driver's adapter of the
// suite's route, in the face's tests): its function, file and line, with
// its source. The page shows it and no empty error chain; an unknown URL
// has no handler.
func (s *suite) handlerLocation(t *testing.T) {
	app := App{Routes: []Endpoint{GET("/x", Fail(errors.New("plain"))), GET("/bare", Fail(s.f.NewError(Canonical{Code: http.StatusConflict})))}}
	d, _ := s.debugDetailOf(t, app, "/x")
	assert.Empty(t, d.Stack)
	require.NotNil(t, d.Handler, "the handler's location")
	h := d.Handler
	assert.Contains(t, h.Function, "_test.", "the driver's function, as Echo holds it")
	assert.True(t, strings.HasSuffix(h.File, "_test.go"), h.File)
	assert.Positive(t, h.Line)
	assert.True(t, h.App, "the application's")
	current := ""
	for _, l := range h.Source {
		if l.Current {
			current = l.Text
		}
	}
	assert.Contains(t, current, "func", "its source, at the function's declaration")
	assert.Contains(t, d.Report(), "Handler: "+h.Function)

	page := s.serve(t, App{Options: []Option{s.f.WithDebug(true), s.f.WithRenderer(s.f.HTML(nil))}, Routes: app.Routes})
	body := page.get("/bare").Body.String()
	assert.Contains(t, body, "<h3>Handler</h3>", "the page shows where the error came from")
	assert.Contains(t, body, h.Function)
	assert.NotContains(t, body, "No error value", "an *Error that wraps nothing has no chain to show")
	assert.NotContains(t, body, "Error chain")

	d, _ = s.debugDetailOf(t, app, "/nowhere")
	assert.Nil(t, d.Handler, "no route, no handler")
}
