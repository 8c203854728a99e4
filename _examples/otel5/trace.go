package main

import (
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	echoerr "github.com/echoerr/echoerr/v5"
)

// instrumentationName names the tracer, as OpenTelemetry asks of
// instrumentation libraries.
const instrumentationName = "github.com/echoerr/echoerr/_examples/otel5"

// serverSpan is middleware that traces each request with a server span, as
// OpenTelemetry's stable HTTP semantic conventions describe it: named
// "GET /users/:id" (the method alone when no route matched), continuing
// the caller's trace (prop, W3C traceparent), and when the chain returns,
// http.response.status_code with the status the client got; for a 5xx,
// error.type and the span status Error; for anything else the status stays
// unset (a 4xx is the client's error, not the server's).
//
// The span is on the request's context for the rest of the chain, so that
// echoerr's reporter (recordException) and the route find it. It must sit
// outside echoerr.Middleware, which has written the response (or recorded
// 499 for a gone client) when next returns: echo.ResolveResponseStatus then
// reads the final status.
func serverSpan(tp trace.TracerProvider, prop propagation.TextMapPropagator) echo.MiddlewareFunc {
	tracer := tp.Tracer(instrumentationName)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			req := c.Request()
			ctx := prop.Extract(req.Context(), propagation.HeaderCarrier(req.Header))
			method := requestMethod(req.Method)
			name, attrs := method, []attribute.KeyValue{
				semconv.HTTPRequestMethodKey.String(method),
				semconv.URLScheme(c.Scheme()),
				semconv.URLPath(req.URL.Path),
				semconv.ServerAddress(req.Host),
				semconv.UserAgentOriginal(req.UserAgent()),
			}
			if method == "_OTHER" {
				name = "HTTP"
				attrs = append(attrs, semconv.HTTPRequestMethodOriginal(req.Method))
			}
			if route := c.Path(); route != "" {
				name += " " + route
				attrs = append(attrs, semconv.HTTPRoute(route))
			}
			ctx, span := tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...))
			defer span.End()
			c.SetRequest(req.WithContext(ctx))

			err := next(c)
			_, status := echo.ResolveResponseStatus(c.Response(), err)
			span.SetAttributes(semconv.HTTPResponseStatusCode(status))
			if status >= 500 {
				span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(status)))
				span.SetStatus(codes.Error, http.StatusText(status))
			}
			return err
		}
	}
}

// requestMethod is the method as http.request.method records it: one of
// the standard methods, or "_OTHER" (an attribute with unbounded values
// would make a new span name per made-up method).
func requestMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "_OTHER"
}

// recordException is echoerr's reporter: it records e on the request's span
// as one exception event, as span.RecordError would, but with the values of
// the request's and response's secret headers redacted from the message
// and the stack (echoerr.Redact), the stack the error carries, as echoerr
// logs it (echoerr.StackOf: a panic's, the panicking goroutine's only), and
// a panic named by the panic value's type rather than by the error that
// carries its stack. It runs inside serverSpan (by echoerr.Middleware), so
// the span is the request's server span, still recording.
func recordException(c *echo.Context, e *echoerr.Error) {
	span := trace.SpanFromContext(c.Request().Context())
	if !span.IsRecording() {
		return
	}
	err := e.Err
	if err == nil {
		err = e
	}
	typ, msg := describe(err)
	attrs := []attribute.KeyValue{
		semconv.ExceptionType(typ),
		semconv.ExceptionMessage(echoerr.Redact(c, msg)),
	}
	if st := echoerr.StackOf(err); st != "" {
		attrs = append(attrs, semconv.ExceptionStacktrace(echoerr.Redact(c, st)))
	}
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(attrs...))
}

// describe returns what an exception event says about err: its type and
// its message. A panic recovered by echoerr.Recover is an error that only
// carries the stack, with the panic's text: the type is the panic value's
// (stripStackCarriers). Echo's own middleware.Recover, if an application
// keeps it, returns a *middleware.PanicStackError whose text holds the
// whole stack dump: the message is the panic's, and the type the panic
// value's when Recover's error is the outermost link. (echoerr leaves both
// wrappers out of its own chain listings, but exports nothing that does it.)
func describe(err error) (typ, msg string) {
	typ, msg = typeName(stripStackCarriers(err)), err.Error()
	var p *middleware.PanicStackError
	if errors.As(err, &p) && p.Err != nil {
		if err == error(p) {
			typ = typeName(p.Err)
		}
		msg = strings.Replace(msg, p.Error(), p.Err.Error(), 1)
	}
	return typ, msg
}

// stripStackCarriers returns err without the outer links that only carry
// a stack, such as echoerr.Recover's (their text is that of the error they
// wrap).
func stripStackCarriers(err error) error {
	for {
		_, carrier := err.(interface{ Stack() []byte })
		inner := errors.Unwrap(err)
		if !carrier || inner == nil || inner.Error() != err.Error() {
			return err
		}
		err = inner
	}
}

// typeName is the exception.type span.RecordError would give err.
func typeName(err error) string {
	t := reflect.TypeOf(err)
	if t.PkgPath() == "" && t.Name() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}
