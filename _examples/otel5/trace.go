package main

import (
	"encoding/base64"
	"errors"
	"net/http"
	"reflect"
	"sort"
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
// and the stack, the stack the error carries (a panic's, cut to the
// panicking goroutine), and a panic named by the panic value's type rather
// than by Echo's *middleware.PanicStackError. It runs inside serverSpan (by
// echoerr.Middleware), so the span is the request's server span, still
// recording.
func recordException(c *echo.Context, e *echoerr.Error) {
	span := trace.SpanFromContext(c.Request().Context())
	if !span.IsRecording() {
		return
	}
	err := e.Err
	if err == nil {
		err = e
	}
	typ, msg, stack := describe(err)
	redact := redactor(c)
	attrs := []attribute.KeyValue{
		semconv.ExceptionType(typ),
		semconv.ExceptionMessage(redact(msg)),
	}
	if stack != "" {
		attrs = append(attrs, semconv.ExceptionStacktrace(redact(stack)))
	}
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(attrs...))
}

// describe returns what an exception event says about err: its type, its
// message and the stack it carries. Echo's Recover returns a
// *middleware.PanicStackError, whose text holds the whole stack dump: the
// message is the panic's, the type the panic value's when Recover's error
// is the outermost link, and the stack the panicking goroutine's only
// (Recover dumps every goroutine unless DisableStackAll is set).
func describe(err error) (typ, msg, stack string) {
	typ, msg = typeName(err), err.Error()
	var p *middleware.PanicStackError
	if errors.As(err, &p) && p.Err != nil {
		if err == error(p) {
			typ = typeName(p.Err)
		}
		msg = strings.Replace(msg, p.Error(), p.Err.Error(), 1)
		return typ, msg, failingGoroutine(string(p.Stack))
	}
	var s interface{ Stack() []byte }
	if errors.As(err, &s) {
		stack = strings.TrimSpace(string(s.Stack()))
	}
	return typ, msg, stack
}

// failingGoroutine returns the first goroutine of a runtime.Stack dump: the
// one that panicked.
func failingGoroutine(stack string) string {
	if i := strings.Index(stack, "\n\ngoroutine "); i >= 0 {
		stack = stack[:i]
	}
	return strings.TrimSpace(stack)
}

// typeName is the exception.type span.RecordError would give err.
func typeName(err error) string {
	t := reflect.TypeOf(err)
	if t.PkgPath() == "" && t.Name() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}

// secretHeaders never leave the process.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// minSecret is the shortest secret value that is redacted from text:
// shorter cookie values (lang=en) are not secrets, and replacing them would
// garble ordinary words. Whole header values are always redacted.
const minSecret = 6

// redactor returns a function that replaces, in a text, the values of the
// request's and the response's secret headers: the whole value, a token
// after its scheme, a cookie's value and Basic credentials decoded.
func redactor(c *echo.Context) func(string) string {
	var secrets []string
	add := func(v string, whole bool) {
		if v = strings.TrimSpace(v); v != "" && (whole || len(v) >= minSecret) {
			secrets = append(secrets, v)
		}
	}
	for _, h := range []http.Header{c.Request().Header, c.Response().Header()} {
		for _, name := range secretHeaders {
			for _, v := range h.Values(name) {
				add(v, true)
				if scheme, token, ok := strings.Cut(v, " "); ok {
					add(token, false)
					if strings.EqualFold(scheme, "Basic") {
						if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(token)); err == nil {
							add(string(raw), false)
							_, pass, _ := strings.Cut(string(raw), ":")
							add(pass, false)
						}
					}
				}
				for _, part := range strings.Split(v, ";") {
					if _, val, ok := strings.Cut(part, "="); ok {
						add(val, false)
					}
				}
			}
		}
	}
	if len(secrets) == 0 {
		return func(s string) string { return s }
	}
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	return func(s string) string {
		for _, v := range secrets {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
		return s
	}
}
