package echoerr_test

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/echoerr/echoerr"
	"github.com/echoerr/echoerr/internal/engine/facetest"
)

// The v4 face's driver for the shared behaviour suite: it turns the
// suite's Echo-free descriptions into an Echo v4 with echoerr installed.

// TestFace runs the behaviour suite on the v4 face.
func TestFace(t *testing.T) { facetest.Run(t, v4Face{}) }

// FuzzFaceEntry fuzzes the v4 face's entry path.
func FuzzFaceEntry(f *testing.F) { facetest.FuzzEntry(f, v4Face{}) }

// FuzzFaceInvariants fuzzes the design brief's invariants on the v4 face:
// generated apps, errors and requests, checked on the wire and in the log.
func FuzzFaceInvariants(f *testing.F) { facetest.FuzzInvariants(f, v4Face{}) }

// v4Face implements facetest.Face for Echo v4.
type v4Face struct{}

var _ facetest.Bencher = v4Face{}

func (v4Face) Capabilities() facetest.Capabilities {
	return facetest.Capabilities{
		InnerHTTPErrorWins:    true,
		EchoDebug:             true,
		HTTPErrorAnyMessage:   true,
		AccessLogMiddleware:   true,
		BodyDumpSeesErrorBody: true,

		CommitSeenBehindPlainWriter: true,
	}
}

func (v4Face) Serve(t testing.TB, app facetest.App) http.Handler {
	t.Helper()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Debug = app.Debug
	var out io.Writer = io.Discard
	if app.EchoLog != nil {
		out = app.EchoLog
	}
	e.Logger.SetOutput(out)
	if app.JSONSerializerPanics {
		e.JSONSerializer = panickingSerializer{}
	}
	if !app.EchoDefault {
		e.HTTPErrorHandler = echoerr.New(options(app.Options)...)
	}
	d := driver{t: t, h: e.HTTPErrorHandler}
	e.Use(d.middlewares(app.Use)...)
	addRoutes(e, app.Routes)
	d.addGroups(e, app.Groups)
	for _, st := range app.Static {
		e.StaticFS(st.Prefix, st.FS)
	}
	return e
}

// panickingSerializer is App.JSONSerializerPanics's serializer.
type panickingSerializer struct{ echo.DefaultJSONSerializer }

func (panickingSerializer) Serialize(echo.Context, any, string) error {
	panic(facetest.PanicSerializing)
}

func (v4Face) New(opts ...facetest.Option) { echoerr.New(options(opts)...) }

// router is what *echo.Echo and *echo.Group have in common.
type router interface {
	Add(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
	Any(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) []*echo.Route
	Group(prefix string, m ...echo.MiddlewareFunc) *echo.Group
	RouteNotFound(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
}

func addRoutes(r router, routes []facetest.Endpoint) {
	for _, rt := range routes {
		h := route(rt.Handler)
		if rt.Method == facetest.MethodRouteNotFound {
			r.RouteNotFound(rt.Path, h)
		} else if rt.Method == "*" {
			r.Any(rt.Path, h)
		} else {
			r.Add(rt.Method, rt.Path, h)
		}
	}
}

// driver builds one application's middleware and groups: h is its error
// handler, for KindEchoerr.
type driver struct {
	t testing.TB
	h echo.HTTPErrorHandler
}

func (d driver) addGroups(r router, groups []facetest.RouteGroup) {
	for _, g := range groups {
		eg := r.Group(g.Prefix, d.middlewares(g.Use)...)
		addRoutes(eg, g.Routes)
		d.addGroups(eg, g.Groups)
		for _, st := range g.Static {
			eg.StaticFS(st.Prefix, st.FS)
		}
	}
}

func route(h facetest.Route) echo.HandlerFunc {
	return func(c echo.Context) error { return h(v4Ctx{c}) }
}

func (d driver) middlewares(ms []facetest.Middleware) []echo.MiddlewareFunc {
	out := make([]echo.MiddlewareFunc, 0, len(ms))
	for _, m := range ms {
		out = append(out, d.middleware(m))
	}
	return out
}

func (d driver) middleware(m facetest.Middleware) echo.MiddlewareFunc {
	t := d.t
	switch m.Kind {
	case facetest.KindRecover:
		return middleware.Recover()
	case facetest.KindRecoverStack:
		return echoerr.Recover()
	case facetest.KindRequestLogger:
		return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			HandleError: true,
			LogStatus:   true,
			LogValuesFunc: func(_ echo.Context, v middleware.RequestLoggerValues) error {
				if m.Status != nil {
					m.Status(v.Status)
				}
				return nil
			},
		})
	case facetest.KindBodyDump:
		return middleware.BodyDump(func(_ echo.Context, _, res []byte) {
			if m.Body != nil {
				m.Body(res)
			}
		})
	case facetest.KindLogger:
		out := m.Out
		if out == nil {
			out = io.Discard
		}
		//lint:ignore SA1019 the exactly-once promise covers Echo's Logger middleware, deprecated or not
		return middleware.LoggerWithConfig(middleware.LoggerConfig{Output: out, Format: "${status}\n"})
	case facetest.KindCORS:
		return middleware.CORSWithConfig(middleware.CORSConfig{AllowOrigins: []string{m.Origin}})
	case facetest.KindGzip:
		return middleware.GzipWithConfig(middleware.GzipConfig{MinLength: m.MinLength})
	case facetest.KindSecure:
		return middleware.Secure()
	case facetest.KindContextTimeout:
		return middleware.ContextTimeout(m.Timeout)
	case facetest.KindProxy:
		u, err := url.Parse(m.Upstream)
		if err != nil {
			t.Fatalf("Proxy upstream %q: %v", m.Upstream, err)
		}
		return middleware.Proxy(middleware.NewRoundRobinBalancer([]*middleware.ProxyTarget{{URL: u}}))
	case facetest.KindEchoerr:
		return echoerr.Middleware(d.h)
	case facetest.KindPlainWriter:
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				c.Response().Writer = plainWriter{c.Response().Writer}
				return next(c)
			}
		}
	case facetest.KindFunc:
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				return m.Func(func(facetest.Ctx) error { return next(c) })(v4Ctx{c})
			}
		}
	}
	t.Fatalf("the v4 driver has no middleware %q", m.Kind)
	return nil
}

// plainWriter is a user's response-writer wrapper with only the methods of
// http.ResponseWriter (KindPlainWriter).
type plainWriter struct{ w http.ResponseWriter }

func (p plainWriter) Header() http.Header         { return p.w.Header() }
func (p plainWriter) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p plainWriter) WriteHeader(code int)        { p.w.WriteHeader(code) }

// v4Ctx is facetest.Ctx over an echo.Context.
type v4Ctx struct{ c echo.Context }

func (x v4Ctx) Request() *http.Request          { return x.c.Request() }
func (x v4Ctx) Header() http.Header             { return x.c.Response().Header() }
func (x v4Ctx) WriteHeader(code int)            { x.c.Response().WriteHeader(code) }
func (x v4Ctx) Write(b []byte) (int, error)     { return x.c.Response().Write(b) }
func (x v4Ctx) Committed() bool                 { return x.c.Response().Committed }
func (x v4Ctx) Status() int                     { return x.c.Response().Status }
func (x v4Ctx) JSON(code int, v any) error      { return x.c.JSON(code, v) }
func (x v4Ctx) String(code int, s string) error { return x.c.String(code, s) }
func (x v4Ctx) Error(err error)                 { x.c.Error(err) }
func (x v4Ctx) Get(key string) any              { return x.c.Get(key) }
func (x v4Ctx) Set(key string, val any)         { x.c.Set(key, val) }
func (x v4Ctx) Param(name string) string        { return x.c.Param(name) }

// Flush flushes the response (facetest.Flusher); a panic of a writer that
// cannot flush is reported as an error.
func (x v4Ctx) Flush() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("flush panicked: %v", p)
		}
	}()
	return http.NewResponseController(x.c.Response()).Flush()
}

// handler adapts a suite handler; nil stays nil, for New to refuse.
func handler(h facetest.Handler) echoerr.HandlerFunc {
	if h == nil {
		return nil
	}
	return func(c echo.Context, err error) error { return h(v4Ctx{c}, err) }
}

func options(opts []facetest.Option) []echoerr.Option {
	out := make([]echoerr.Option, len(opts))
	for i, o := range opts {
		out[i] = o.(echoerr.Option)
	}
	return out
}

func (v4Face) OnCode(code int, h facetest.Handler) facetest.Option {
	return echoerr.OnCode(code, handler(h))
}

func (v4Face) OnRange(lo, hi int, h facetest.Handler) facetest.Option {
	return echoerr.OnRange(lo, hi, handler(h))
}

func (v4Face) OnError(target error, h facetest.Handler) facetest.Option {
	return echoerr.OnError(target, handler(h))
}

func (v4Face) OnType(tag facetest.TypeTag, h facetest.Handler) facetest.Option {
	switch tag {
	case facetest.TypeInvalidAPIUsage:
		return onType[*facetest.InvalidAPIUsage](h)
	case facetest.TypeValidation:
		return onType[*facetest.ValidationError](h)
	case facetest.TypeTempError:
		return onType[*facetest.TempError](h)
	case facetest.TypeTemporary:
		return onType[facetest.Temporary](h)
	case facetest.TypeList:
		return onType[facetest.ListError](h)
	case facetest.TypeWrapper:
		return onType[*facetest.Wrapper](h)
	case facetest.TypeHTTPError:
		return onType[*echo.HTTPError](h)
	case facetest.TypeError:
		return onType[*echoerr.Error](h)
	}
	panic(fmt.Sprintf("the v4 driver has no type tag %d", tag))
}

// onType is echoerr.OnType[T] over a suite handler; nil stays nil.
func onType[T error](h facetest.Handler) echoerr.Option {
	if h == nil {
		return echoerr.OnType[T](nil)
	}
	return echoerr.OnType(func(c echo.Context, err T) error { return h(v4Ctx{c}, err) })
}

func (v4Face) OnHTTPError(h facetest.Handler) facetest.Option { return echoerr.OnHTTPError(handler(h)) }
func (v4Face) OnAny(h facetest.Handler) facetest.Option       { return echoerr.OnAny(handler(h)) }

func (v4Face) WithRenderer(r facetest.Renderer) facetest.Option {
	rr, _ := r.(echoerr.Renderer)
	return echoerr.WithRenderer(rr)
}

func (v4Face) WithLogger(l *slog.Logger) facetest.Option { return echoerr.WithLogger(l) }

func (v4Face) WithReporter(f func(c facetest.Ctx, e facetest.Canonical)) facetest.Option {
	if f == nil {
		return echoerr.WithReporter(nil)
	}
	return echoerr.WithReporter(func(c echo.Context, e *echoerr.Error) { f(v4Ctx{c}, canonical(e)) })
}

func (v4Face) WithDebug(on bool) facetest.Option { return echoerr.WithDebug(on) }

func (v4Face) WithStormControl(st facetest.Storms) (facetest.Option, func()) {
	sc := &echoerr.StormControl{
		Window: st.Window, Logs5xx: st.Logs5xx, Logs4xx: st.Logs4xx,
		Reports5xx: st.Reports5xx, Reports4xx: st.Reports4xx,
		MaxFingerprints: st.MaxFingerprints, Limiter: st.Limiter,
	}
	echoerr.SetStormClock(sc, st.Clock)
	return echoerr.WithStormControl(sc), sc.Flush
}

func (v4Face) Group(prefix string, opts ...facetest.Option) facetest.Option {
	return echoerr.Group(prefix, options(opts)...)
}

func (v4Face) Host(host string, opts ...facetest.Option) facetest.Option {
	return echoerr.Host(host, options(opts)...)
}

func (v4Face) JSON() facetest.Renderer    { return echoerr.JSON() }
func (v4Face) Problem() facetest.Renderer { return echoerr.Problem() }
func (v4Face) Text() facetest.Renderer    { return echoerr.Text() }

func (v4Face) HTML(templates fs.FS) facetest.Renderer {
	if templates == nil {
		return echoerr.HTML()
	}
	return echoerr.HTML(echoerr.TemplateFS(templates))
}

func (v4Face) HTMLEditorLinks(pattern string) facetest.Renderer {
	return echoerr.HTML(echoerr.EditorLinks(pattern))
}

func (v4Face) EchoJSON() facetest.Renderer { return echoerr.EchoJSON() }

func (v4Face) Negotiate(rs ...facetest.Renderer) facetest.Renderer {
	out := make([]echoerr.Renderer, len(rs))
	for i, r := range rs {
		out[i] = r.(echoerr.Renderer)
	}
	return echoerr.Negotiate(out...)
}

func (v4Face) CustomRenderer(mediaType string, render func(c facetest.Ctx, e facetest.Canonical) error) facetest.Renderer {
	return customRenderer{mediaType: mediaType, render: render}
}

// customRenderer is a user's Renderer for the suite.
type customRenderer struct {
	mediaType string
	render    func(c facetest.Ctx, e facetest.Canonical) error
}

func (r customRenderer) Render(c echo.Context, e *echoerr.Error) error {
	return r.render(v4Ctx{c}, canonical(e))
}

func (r customRenderer) MediaTypes() []string { return []string{r.mediaType} }

func canonical(e *echoerr.Error) facetest.Canonical {
	if e == nil {
		return facetest.Canonical{}
	}
	return *e
}

func (v4Face) Pass() error { return echoerr.Pass }

func (v4Face) FromError(err error) facetest.Canonical { return canonical(echoerr.FromError(err)) }

func (v4Face) NewError(e facetest.Canonical) error { return &e }

func (v4Face) StatusOf(err error) int { return echoerr.StatusOf(err) }

func (v4Face) Redact(c facetest.Ctx, s string) string { return echoerr.Redact(c.(v4Ctx).c, s) }
func (v4Face) StackOf(err error) string               { return echoerr.StackOf(err) }

func (v4Face) Unauthorized(description, challenge string) error {
	return echoerr.Unauthorized(description, challenge)
}

func (v4Face) UnprocessableEntity(description string) error {
	return echoerr.NewError(http.StatusUnprocessableEntity, description)
}

func (v4Face) TooManyRequests(d time.Duration) error    { return echoerr.TooManyRequests("", d) }
func (v4Face) ServiceUnavailable(d time.Duration) error { return echoerr.ServiceUnavailable("", d) }

func (v4Face) NotFound() error { return echo.ErrNotFound }

func (v4Face) HTTPError(code int, message string) error {
	if message == "" {
		return echo.NewHTTPError(code)
	}
	return echo.NewHTTPError(code, message)
}

func (f v4Face) WrapHTTPError(code int, message string, cause error) error {
	return f.HTTPError(code, message).(*echo.HTTPError).SetInternal(cause)
}

func (v4Face) HTTPErrorValue(code int, message any) error { return echo.NewHTTPError(code, message) }

func (v4Face) NilHTTPError() error { return (*echo.HTTPError)(nil) }
