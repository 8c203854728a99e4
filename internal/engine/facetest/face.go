package facetest

import (
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/echoerr/echoerr/httperr"
	"github.com/echoerr/echoerr/internal/engine"
	"github.com/echoerr/echoerr/internal/engine/storm"
)

// StatusClientClosedRequest is the status recorded for a client that went
// away before the response was written.
const StatusClientClosedRequest = 499

// Ctx is what the suite's routes, middleware, handlers and renderers use of
// an Echo context. A driver implements it over its face's context; every
// method does what the Echo method of the same name does.
type Ctx interface {
	// Request is the request.
	Request() *http.Request
	// Header is the response header.
	Header() http.Header
	// WriteHeader writes the response status, as c.Response().WriteHeader.
	WriteHeader(code int)
	// Write writes to the response body, as c.Response().Write.
	Write(b []byte) (int, error)
	// Committed reports whether the response status was written.
	Committed() bool
	// Status is the response status as Echo records it: what access logs
	// and metrics read.
	Status() int
	// JSON writes v as a JSON response, as c.JSON.
	JSON(code int, v any) error
	// String writes a text/plain response, as c.String.
	String(code int, s string) error
	// Error hands err to the application's HTTPErrorHandler, as v4's
	// c.Error does (v5: c.Echo().HTTPErrorHandler(c, err)).
	Error(err error)
	// Get returns a value of the context's store.
	Get(key string) any
	// Set sets a value of the context's store.
	Set(key string, val any)
	// Param returns the value of the route's path parameter name, as
	// c.Param.
	Param(name string) string
}

// Flusher is implemented by a driver's Ctx that can flush the response
// (http.NewResponseController's Flush on the response writer); it reports
// an error when the writer cannot flush, and never panics.
type Flusher interface {
	Flush() error
}

// Route is a route's handler, Echo's HandlerFunc.
type Route func(c Ctx) error

// Handler is an echoerr error handler, echoerr.HandlerFunc. A driver turns
// a nil Handler into a nil HandlerFunc, so that New can refuse it.
type Handler func(c Ctx, err error) error

// Option is an echoerr Option made by the Face. The suite never looks
// inside; it hands Options back to the Face.
type Option any

// Renderer is an echoerr Renderer made by the Face, opaque to the suite.
type Renderer any

// Canonical is the faces' echoerr.Error, which both alias: the engine's
// canonical error. The suite passes it by value; the drivers hand it over as
// the *Error it is, so that what echoerr records in it (whether Name and
// Description are defaults) survives a handler's edit.
type Canonical = engine.Error

// TypeTag names an error type for Face.OnType. A generic OnType[T] cannot be
// passed as a value, so the driver instantiates echoerr.OnType for each tag
// with a switch and hands the handler the matched link as an error.
type TypeTag int

// The types OnType is instantiated with.
const (
	// TypeInvalidAPIUsage is *InvalidAPIUsage, an exact concrete type that
	// is also a status carrier (StatusCode() int).
	TypeInvalidAPIUsage TypeTag = iota + 1
	// TypeValidation is *ValidationError, a concrete type without a status.
	TypeValidation
	// TypeTempError is *TempError, a concrete type implementing Temporary.
	TypeTempError
	// TypeTemporary is Temporary, an interface type.
	TypeTemporary
	// TypeList is ListError, a non-comparable value type.
	TypeList
	// TypeWrapper is *Wrapper.
	TypeWrapper
	// TypeHTTPError is the face's own HTTP error type (*echo.HTTPError):
	// a status carrier, which OnType registers on rung 4.
	TypeHTTPError
	// TypeError is the face's *echoerr.Error: a status carrier, rung 4.
	TypeError
)

// Capabilities are the differences between faces that the suite needs to
// know about.
type Capabilities struct {
	// InnerHTTPErrorWins: an HTTP error held as the cause of another one
	// decides the status, as in Echo v4's default handler (HTTPError's
	// Internal). Echo v5 has no Internal: the outermost carrier decides.
	InnerHTTPErrorWins bool
	// EchoDebug: Echo has a debug switch (v4's e.Debug) that debug mode
	// follows when WithDebug is not given.
	EchoDebug bool
	// HTTPErrorAnyMessage: the HTTP error's message may be any value (v4's
	// Message any); otherwise it is a string (v5).
	HTTPErrorAnyMessage bool
	// AccessLogMiddleware: the face has Echo's Logger middleware (v4).
	AccessLogMiddleware bool
	// CommitSeenBehindPlainWriter: what a route committed through a writer
	// wrapper without Unwrap (KindPlainWriter) is still seen by the face
	// (v4: Echo's Response records it, whatever writer it holds). Echo
	// v5's Response sits below such a wrapper, out of reach of echoerr and
	// of Echo's own handlers (echo.UnwrapResponse fails).
	CommitSeenBehindPlainWriter bool
	// BodyDumpSeesErrorBody: Echo's BodyDump middleware calls the error
	// handler itself, so its dump holds the error response (v4). Echo v5's
	// BodyDump passes the error to its callback and returns it: the error
	// response is written after it, and its dump is empty.
	BodyDumpSeesErrorBody bool
}

// Face is one of echoerr's faces, seen through its driver. The methods
// named after an echoerr function return what that function returns, with
// the suite's Handler, Route and Ctx adapted to the face's Echo types.
type Face interface {
	// Capabilities says how this face differs from the other.
	Capabilities() Capabilities
	// Serve builds a new Echo described by app, with
	// New(app.Options...) as its HTTPErrorHandler (or Echo's own default
	// handler when app.EchoDefault is set), and returns it.
	Serve(t testing.TB, app App) http.Handler
	// New calls echoerr.New(opts...) and discards the result; the suite
	// uses it to see registrations refused.
	New(opts ...Option)

	Options
	Renderers
	Errors
}

// Options are echoerr's Option constructors.
type Options interface {
	OnCode(code int, h Handler) Option
	OnRange(lo, hi int, h Handler) Option
	OnError(target error, h Handler) Option
	// OnType is echoerr.OnType instantiated with the type tag names; h is
	// given the matched link.
	OnType(tag TypeTag, h Handler) Option
	OnHTTPError(h Handler) Option
	OnAny(h Handler) Option
	WithRenderer(r Renderer) Option
	WithLogger(l *slog.Logger) Option
	// WithReporter is echoerr.WithReporter; f gets the *Error as Canonical.
	WithReporter(f func(c Ctx, e Canonical)) Option
	WithDebug(on bool) Option
	// WithStormControl is echoerr.WithStormControl(sc) for a new
	// *StormControl with st's limits, and st.Clock given through the
	// face's test seam (SetStormClock); flush is sc.Flush.
	WithStormControl(st Storms) (opt Option, flush func())
	Group(prefix string, opts ...Option) Option
	Host(host string, opts ...Option) Option
}

// Storms are the fields of the faces' StormControl, and the clock a
// face's test seam gives it.
type Storms struct {
	Window                 time.Duration
	Logs5xx, Logs4xx       int
	Reports5xx, Reports4xx int
	MaxFingerprints        int
	Limiter                httperr.Limiter
	Clock                  storm.Clock
}

// Renderers are echoerr's Renderer constructors.
type Renderers interface {
	JSON() Renderer
	Problem() Renderer
	// HTML is echoerr.HTML, with TemplateFS(templates) when templates is
	// not nil.
	HTML(templates fs.FS) Renderer
	// HTMLEditorLinks is echoerr.HTML(echoerr.EditorLinks(pattern)).
	HTMLEditorLinks(pattern string) Renderer
	Text() Renderer
	EchoJSON() Renderer
	Negotiate(rs ...Renderer) Renderer
	// CustomRenderer is a user's Renderer of mediaType (its MediaTypes)
	// whose Render calls render with the *Error as Canonical.
	CustomRenderer(mediaType string, render func(c Ctx, e Canonical) error) Renderer
}

// Errors are the face's errors: echoerr's canonical error and its
// constructors, and Echo's own errors.
type Errors interface {
	// Pass is echoerr.Pass.
	Pass() error
	// FromError is echoerr.FromError.
	FromError(err error) Canonical
	// Redact is echoerr.Redact, for c's request.
	Redact(c Ctx, s string) string
	// StackOf is echoerr.StackOf.
	StackOf(err error) string
	// NewError returns the face's *echoerr.Error with e's fields, as a user
	// builds one by hand (&echoerr.Error{...}). FromError, a change, then
	// NewError is what a handler does with fe := FromError(err).
	NewError(e Canonical) error
	// StatusOf is echoerr.StatusOf.
	StatusOf(err error) int

	// Unauthorized is echoerr.Unauthorized(description, challenge).
	Unauthorized(description, challenge string) error
	// UnprocessableEntity is echoerr.NewError(http.StatusUnprocessableEntity, description).
	UnprocessableEntity(description string) error
	// TooManyRequests is echoerr.TooManyRequests("", retryAfter).
	TooManyRequests(retryAfter time.Duration) error
	// ServiceUnavailable is echoerr.ServiceUnavailable("", retryAfter).
	ServiceUnavailable(retryAfter time.Duration) error

	// NotFound is Echo's echo.ErrNotFound, as its router returns it.
	NotFound() error
	// HTTPError is Echo's HTTP error with a string message (v4
	// echo.NewHTTPError(code, message)); an empty message means Echo's
	// default one (echo.NewHTTPError(code)).
	HTTPError(code int, message string) error
	// WrapHTTPError is HTTPError holding cause: v4's SetInternal, v5's
	// Wrap.
	WrapHTTPError(code int, message string, cause error) error
	// HTTPErrorValue is an HTTP error whose message is any value, when the
	// face has such messages (Capabilities.HTTPErrorAnyMessage), else nil.
	HTTPErrorValue(code int, message any) error
	// NilHTTPError is a typed nil of Echo's HTTP error type
	// ((*echo.HTTPError)(nil)) as a non-nil error.
	NilHTTPError() error
}

// MissingAPI is what a driver returns from a Face method whose echoerr API
// the face does not have yet. The cases that need it fail, naming the API.
type MissingAPI struct {
	// API is the missing function, such as
	// "echoerr.NewError(http.StatusUnprocessableEntity, description)".
	API string
}

func (e *MissingAPI) Error() string { return "facetest: the face lacks " + e.API }

// Missing returns a *MissingAPI for api.
func Missing(api string) error { return &MissingAPI{API: api} }

// requireAPI fails the test when err says that the face lacks an API.
func requireAPI(t testing.TB, err error) {
	t.Helper()
	var m *MissingAPI
	if errors.As(err, &m) {
		t.Fatalf("%v: this behaviour cannot be checked until it exists", m)
	}
}

// App describes an Echo application for Face.Serve.
type App struct {
	// Options are given to echoerr.New.
	Options []Option
	// Use is application middleware, outermost first (e.Use).
	Use []Middleware
	// Routes are the application's routes.
	Routes []Endpoint
	// Groups are Echo route groups (e.Group).
	Groups []RouteGroup
	// Static serves file systems (e.StaticFS).
	Static []StaticFiles
	// Debug is Echo's own debug switch (Capabilities.EchoDebug); faces
	// without one ignore it.
	Debug bool
	// EchoDefault serves with Echo's own default error handler instead of
	// echoerr, with Debug as its debug setting (v5:
	// DefaultHTTPErrorHandler(Debug)): the reference for EchoJSON.
	EchoDefault bool
	// JSONSerializerPanics installs an e.JSONSerializer whose Serialize
	// panics with PanicSerializing.
	JSONSerializerPanics bool
	// EchoLog receives what Echo itself logs (e.Logger), such as its
	// "response already committed" warning. Nil discards it.
	EchoLog io.Writer
}

// PanicSerializing is the value App.JSONSerializerPanics's serializer
// panics with.
const PanicSerializing = "facetest: the JSON serializer panicked"

// Endpoint is a route.
type Endpoint struct {
	// Method is an HTTP method, or "*" for every method (e.Any).
	Method string
	// Path is an Echo route path, such as "/users/:id" or "/files/*".
	Path    string
	Handler Route
}

// RouteGroup is an Echo route group: e.Group(Prefix, Use...) with its
// routes and nested groups.
type RouteGroup struct {
	Prefix string
	// Use is the group's middleware. A group with middleware makes Echo's
	// router answer 404 for a wrong method (echo#1981).
	Use    []Middleware
	Routes []Endpoint
	Groups []RouteGroup
	// Static serves file systems under the group (g.StaticFS), the prefix
	// relative to the group's.
	Static []StaticFiles
}

// StaticFiles serves FS under Prefix, as e.StaticFS(Prefix, FS).
type StaticFiles struct {
	Prefix string
	FS     fs.FS
}

// GET is a GET route.
func GET(path string, h Route) Endpoint {
	return Endpoint{Method: http.MethodGet, Path: path, Handler: h}
}

// Handle is a route for method.
func Handle(method, path string, h Route) Endpoint {
	return Endpoint{Method: method, Path: path, Handler: h}
}

// Fail is a route that returns err.
func Fail(err error) Route { return func(Ctx) error { return err } }

// MiddlewareKind names one of Echo's middleware.
type MiddlewareKind string

// The middleware the suite installs. A driver builds Echo's middleware of
// that name with the configuration described on each.
const (
	// KindRecover is middleware.Recover() with its default configuration.
	KindRecover MiddlewareKind = "Recover"
	// KindRecoverStack is the recovery echoerr offers, which keeps the
	// panic's stack as text and as program counters (v4: Echo's Recover
	// with LogErrorFunc echoerr.RecoverStack; v5: echoerr.Recover).
	KindRecoverStack MiddlewareKind = "RecoverStack"
	// KindRequestLogger is RequestLogger with HandleError: true and
	// LogStatus, calling Middleware.Status with the status it logs.
	KindRequestLogger MiddlewareKind = "RequestLogger"
	// KindBodyDump is BodyDump, calling Middleware.Body with the response
	// body it saw.
	KindBodyDump MiddlewareKind = "BodyDump"
	// KindLogger is Echo's Logger middleware writing "${status}\n" lines
	// to Middleware.Out (Capabilities.AccessLogMiddleware).
	KindLogger MiddlewareKind = "Logger"
	// KindCORS is CORS allowing the origin Middleware.Origin.
	KindCORS MiddlewareKind = "CORS"
	// KindGzip is Gzip with Middleware.MinLength (0: Echo's default).
	KindGzip MiddlewareKind = "Gzip"
	// KindSecure is Secure with its default configuration.
	KindSecure MiddlewareKind = "Secure"
	// KindProxy is Proxy to the single upstream Middleware.Upstream.
	KindProxy MiddlewareKind = "Proxy"
	// KindContextTimeout is ContextTimeout with Middleware.Timeout: it
	// gives the request a context of its own and cancels it on its way
	// out, before the error handler runs.
	KindContextTimeout MiddlewareKind = "ContextTimeout"
	// KindFunc is the suite's own middleware, Middleware.Func.
	KindFunc MiddlewareKind = "Func"
	// KindEchoerr is echoerr.Middleware(h), h being the application's own
	// echoerr handler (the one Serve installs as HTTPErrorHandler).
	KindEchoerr MiddlewareKind = "Echoerr"
	// KindPlainWriter replaces the response writer with a wrapper that has
	// only http.ResponseWriter's three methods: no Unwrap, no Flush, no
	// CloseNotify, as many users' own wrappers are. It is not restored.
	KindPlainWriter MiddlewareKind = "PlainWriter"
)

// MethodRouteNotFound, as an Endpoint's Method, registers the endpoint with
// the router's RouteNotFound (e.RouteNotFound, g.RouteNotFound): the
// application's own handler for unknown paths under Path.
const MethodRouteNotFound = "ROUTE_NOT_FOUND"

// Middleware describes one middleware for App.Use and RouteGroup.Use.
type Middleware struct {
	Kind MiddlewareKind
	// Status is called by RequestLogger with the status it logs.
	Status func(status int)
	// Body is called by BodyDump with the response body it saw.
	Body func(body []byte)
	// Out is where Logger writes its lines.
	Out io.Writer
	// Origin is the origin CORS allows.
	Origin string
	// Upstream is Proxy's target URL.
	Upstream string
	// Timeout is ContextTimeout's timeout.
	Timeout time.Duration
	// MinLength is Gzip's MinLength: a response shorter than it is sent
	// uncompressed, so Gzip buffers the first MinLength bytes.
	MinLength int
	// Func is the middleware of KindFunc.
	Func func(next Route) Route
}

// Use returns the middleware of kind with no configuration.
func Use(kind MiddlewareKind) Middleware { return Middleware{Kind: kind} }

// Func returns the suite's own middleware f.
func Func(f func(next Route) Route) Middleware { return Middleware{Kind: KindFunc, Func: f} }
