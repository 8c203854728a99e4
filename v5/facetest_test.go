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

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/echoerr/echoerr/internal/engine/facetest"
	"github.com/echoerr/echoerr/v5"
)

// The v5 face's driver for the shared behaviour suite: it turns the
// suite's Echo-free descriptions into an Echo v5 with echoerr installed.

// TestFace runs the behaviour suite on the v5 face.
func TestFace(t *testing.T) { facetest.Run(t, v5Face{}) }

// FuzzFaceEntry fuzzes the v5 face's entry path.
func FuzzFaceEntry(f *testing.F) { facetest.FuzzEntry(f, v5Face{}) }

// FuzzFaceInvariants fuzzes the design brief's invariants on the v5 face:
// generated apps, errors and requests, checked on the wire and in the log.
func FuzzFaceInvariants(f *testing.F) { facetest.FuzzInvariants(f, v5Face{}) }

// v5Face implements facetest.Face for Echo v5.
type v5Face struct{}

var _ facetest.Bencher = v5Face{}

func (v5Face) Capabilities() facetest.Capabilities {
	return facetest.Capabilities{} // no Internal, no e.Debug, string messages, no Logger middleware
}

func (v5Face) Serve(t testing.TB, app facetest.App) http.Handler {
	t.Helper()
	e := echo.New()
	var out io.Writer = io.Discard
	if app.EchoLog != nil {
		out = app.EchoLog
	}
	e.Logger = slog.New(slog.NewTextHandler(out, nil))
	if app.JSONSerializerPanics {
		e.JSONSerializer = panickingSerializer{}
	}
	if app.EchoDefault {
		e.HTTPErrorHandler = echo.DefaultHTTPErrorHandler(app.Debug) // Echo v5 has no e.Debug
	} else {
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

func (panickingSerializer) Serialize(*echo.Context, any, string) error {
	panic(facetest.PanicSerializing)
}

func (v5Face) New(opts ...facetest.Option) { echoerr.New(options(opts)...) }

// router is what *echo.Echo and *echo.Group have in common.
type router interface {
	Add(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) echo.RouteInfo
	Any(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) echo.RouteInfo
	Group(prefix string, m ...echo.MiddlewareFunc) *echo.Group
	RouteNotFound(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) echo.RouteInfo
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
	return func(c *echo.Context) error { return h(v5Ctx{c}) }
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
			LogValuesFunc: func(_ *echo.Context, v middleware.RequestLoggerValues) error {
				if m.Status != nil {
					m.Status(v.Status)
				}
				return nil
			},
		})
	case facetest.KindBodyDump:
		return middleware.BodyDump(func(_ *echo.Context, _, res []byte, _ error) {
			if m.Body != nil {
				m.Body(res)
			}
		})
	case facetest.KindCORS:
		return middleware.CORS(m.Origin)
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
			return func(c *echo.Context) error {
				c.SetResponse(plainWriter{c.Response()})
				return next(c)
			}
		}
	case facetest.KindFunc:
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c *echo.Context) error {
				return m.Func(func(facetest.Ctx) error { return next(c) })(v5Ctx{c})
			}
		}
	}
	t.Fatalf("the v5 driver has no middleware %q", m.Kind)
	return nil
}

// plainWriter is a user's response-writer wrapper with only the methods of
// http.ResponseWriter (KindPlainWriter).
type plainWriter struct{ w http.ResponseWriter }

func (p plainWriter) Header() http.Header         { return p.w.Header() }
func (p plainWriter) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p plainWriter) WriteHeader(code int)        { p.w.WriteHeader(code) }

// v5Ctx is facetest.Ctx over an *echo.Context.
type v5Ctx struct{ c *echo.Context }

func (x v5Ctx) Request() *http.Request          { return x.c.Request() }
func (x v5Ctx) Header() http.Header             { return x.c.Response().Header() }
func (x v5Ctx) WriteHeader(code int)            { x.c.Response().WriteHeader(code) }
func (x v5Ctx) Write(b []byte) (int, error)     { return x.c.Response().Write(b) }
func (x v5Ctx) JSON(code int, v any) error      { return x.c.JSON(code, v) }
func (x v5Ctx) String(code int, s string) error { return x.c.String(code, s) }
func (x v5Ctx) Get(key string) any              { return x.c.Get(key) }
func (x v5Ctx) Set(key string, val any)         { x.c.Set(key, val) }
func (x v5Ctx) Param(name string) string        { return x.c.Param(name) }

// Flush flushes the response (facetest.Flusher); a panic of a writer that
// cannot flush is reported as an error.
func (x v5Ctx) Flush() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("flush panicked: %v", p)
		}
	}()
	return http.NewResponseController(x.c.Response()).Flush()
}

// Error re-enters the error handler: Echo v5 has no c.Error, so code that
// wants the error handler calls it through the Echo.
func (x v5Ctx) Error(err error) { x.c.Echo().HTTPErrorHandler(x.c, err) }

// Committed and Status read Echo's Response beneath the writer.
func (x v5Ctx) Committed() bool {
	r, err := echo.UnwrapResponse(x.c.Response())
	return err == nil && r.Committed
}

func (x v5Ctx) Status() int {
	if r, err := echo.UnwrapResponse(x.c.Response()); err == nil {
		return r.Status
	}
	return 0
}

// handler adapts a suite handler; nil stays nil, for New to refuse.
func handler(h facetest.Handler) echoerr.HandlerFunc {
	if h == nil {
		return nil
	}
	return func(c *echo.Context, err error) error { return h(v5Ctx{c}, err) }
}

func options(opts []facetest.Option) []echoerr.Option {
	out := make([]echoerr.Option, len(opts))
	for i, o := range opts {
		out[i] = o.(echoerr.Option)
	}
	return out
}

func (v5Face) OnCode(code int, h facetest.Handler) facetest.Option {
	return echoerr.OnCode(code, handler(h))
}

func (v5Face) OnRange(lo, hi int, h facetest.Handler) facetest.Option {
	return echoerr.OnRange(lo, hi, handler(h))
}

func (v5Face) OnError(target error, h facetest.Handler) facetest.Option {
	return echoerr.OnError(target, handler(h))
}

func (v5Face) OnType(tag facetest.TypeTag, h facetest.Handler) facetest.Option {
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
	panic(fmt.Sprintf("the v5 driver has no type tag %d", tag))
}

// onType is echoerr.OnType[T] over a suite handler; nil stays nil.
func onType[T error](h facetest.Handler) echoerr.Option {
	if h == nil {
		return echoerr.OnType[T](nil)
	}
	return echoerr.OnType(func(c *echo.Context, err T) error { return h(v5Ctx{c}, err) })
}

func (v5Face) OnHTTPError(h facetest.Handler) facetest.Option { return echoerr.OnHTTPError(handler(h)) }
func (v5Face) OnAny(h facetest.Handler) facetest.Option       { return echoerr.OnAny(handler(h)) }

func (v5Face) WithRenderer(r facetest.Renderer) facetest.Option {
	rr, _ := r.(echoerr.Renderer)
	return echoerr.WithRenderer(rr)
}

func (v5Face) WithLogger(l *slog.Logger) facetest.Option { return echoerr.WithLogger(l) }

func (v5Face) WithReporter(f func(c facetest.Ctx, e facetest.Canonical)) facetest.Option {
	if f == nil {
		return echoerr.WithReporter(nil)
	}
	return echoerr.WithReporter(func(c *echo.Context, e *echoerr.Error) { f(v5Ctx{c}, canonical(e)) })
}

func (v5Face) WithDebug(on bool) facetest.Option { return echoerr.WithDebug(on) }

func (v5Face) WithStormControl(st facetest.Storms) (facetest.Option, func()) {
	sc := &echoerr.StormControl{
		Window: st.Window, Logs5xx: st.Logs5xx, Logs4xx: st.Logs4xx,
		Reports5xx: st.Reports5xx, Reports4xx: st.Reports4xx,
		MaxFingerprints: st.MaxFingerprints, Limiter: st.Limiter,
	}
	echoerr.SetStormClock(sc, st.Clock)
	return echoerr.WithStormControl(sc), sc.Flush
}

func (v5Face) Group(prefix string, opts ...facetest.Option) facetest.Option {
	return echoerr.Group(prefix, options(opts)...)
}

func (v5Face) Host(host string, opts ...facetest.Option) facetest.Option {
	return echoerr.Host(host, options(opts)...)
}

func (v5Face) JSON() facetest.Renderer    { return echoerr.JSON() }
func (v5Face) Problem() facetest.Renderer { return echoerr.Problem() }
func (v5Face) Text() facetest.Renderer    { return echoerr.Text() }

func (v5Face) HTML(templates fs.FS) facetest.Renderer {
	if templates == nil {
		return echoerr.HTML()
	}
	return echoerr.HTML(echoerr.TemplateFS(templates))
}

func (v5Face) HTMLEditorLinks(pattern string) facetest.Renderer {
	return echoerr.HTML(echoerr.EditorLinks(pattern))
}

func (v5Face) EchoJSON() facetest.Renderer { return echoerr.EchoJSON() }

func (v5Face) Negotiate(rs ...facetest.Renderer) facetest.Renderer {
	out := make([]echoerr.Renderer, len(rs))
	for i, r := range rs {
		out[i] = r.(echoerr.Renderer)
	}
	return echoerr.Negotiate(out...)
}

func (v5Face) CustomRenderer(mediaType string, render func(c facetest.Ctx, e facetest.Canonical) error) facetest.Renderer {
	return customRenderer{mediaType: mediaType, render: render}
}

// customRenderer is a user's Renderer for the suite.
type customRenderer struct {
	mediaType string
	render    func(c facetest.Ctx, e facetest.Canonical) error
}

func (r customRenderer) Render(c *echo.Context, e *echoerr.Error) error {
	return r.render(v5Ctx{c}, canonical(e))
}

func (r customRenderer) MediaTypes() []string { return []string{r.mediaType} }

func canonical(e *echoerr.Error) facetest.Canonical {
	if e == nil {
		return facetest.Canonical{}
	}
	return *e
}

func (v5Face) Pass() error { return echoerr.Pass }

func (v5Face) FromError(err error) facetest.Canonical { return canonical(echoerr.FromError(err)) }

func (v5Face) NewError(e facetest.Canonical) error { return &e }

func (v5Face) StatusOf(err error) int { return echoerr.StatusOf(err) }

func (v5Face) Redact(c facetest.Ctx, s string) string { return echoerr.Redact(c.(v5Ctx).c, s) }
func (v5Face) StackOf(err error) string               { return echoerr.StackOf(err) }

func (v5Face) Unauthorized(description, challenge string) error {
	return echoerr.Unauthorized(description, challenge)
}

func (v5Face) UnprocessableEntity(description string) error {
	return echoerr.NewError(http.StatusUnprocessableEntity, description)
}

func (v5Face) TooManyRequests(d time.Duration) error    { return echoerr.TooManyRequests("", d) }
func (v5Face) ServiceUnavailable(d time.Duration) error { return echoerr.ServiceUnavailable("", d) }

func (v5Face) NotFound() error { return echo.ErrNotFound }

func (v5Face) HTTPError(code int, message string) error { return echo.NewHTTPError(code, message) }

func (v5Face) WrapHTTPError(code int, message string, cause error) error {
	return echo.NewHTTPError(code, message).Wrap(cause)
}

// HTTPErrorValue: an Echo v5 HTTPError's Message is a string.
func (v5Face) HTTPErrorValue(code int, message any) error { return nil }

func (v5Face) NilHTTPError() error { return (*echo.HTTPError)(nil) }
