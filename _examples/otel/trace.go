package main

import (
	"errors"
	"net/http"
	"reflect"
	"strconv"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/echoerr/echoerr"
)

// spanStatus is middleware that puts the response's final status on the
// request's server span, as OpenTelemetry's HTTP semantic conventions
// (v1.20 and later) name it: http.response.status_code, error.type for a
// 5xx, and the span status Error for a 5xx and unset otherwise (a 4xx is
// the client's error, not the server's). otelecho v0.60.0 sets only the
// older http.status_code.
//
// It must sit inside otelecho, whose span is on the request's context only
// while the chain runs, and outside echoerr.Middleware, which has written
// the response (and so its status) by the time next returns.
func spanStatus(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		span := trace.SpanFromContext(c.Request().Context())
		if !span.IsRecording() {
			return err
		}
		status := c.Response().Status
		span.SetAttributes(semconv.HTTPResponseStatusCode(status))
		if status >= 500 {
			span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(status)))
			span.SetStatus(codes.Error, http.StatusText(status))
		}
		return err
	}
}

// recordException is echoerr's reporter: it records e on the request's span
// as one exception event, as span.RecordError would, but with the values of
// the request's and response's secret headers redacted from the message
// and the stack (echoerr.Redact), with the stack the error carries, as
// echoerr logs it (echoerr.StackOf: a panic's through echoerr.Recover,
// the panicking goroutine's only), and with a panic named by the panic
// value's type. It runs inside otelecho, so the span is the request's
// server span.
func recordException(c echo.Context, e *echoerr.Error) {
	span := trace.SpanFromContext(c.Request().Context())
	if !span.IsRecording() {
		return
	}
	err := e.Err
	if err == nil {
		err = e
	}
	attrs := []attribute.KeyValue{
		semconv.ExceptionType(typeName(stripStackCarriers(err))),
		semconv.ExceptionMessage(echoerr.Redact(c, err.Error())),
	}
	if st := echoerr.StackOf(err); st != "" {
		attrs = append(attrs, semconv.ExceptionStacktrace(echoerr.Redact(c, st)))
	}
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(attrs...))
}

// typeName is the exception.type span.RecordError would give err.
func typeName(err error) string {
	t := reflect.TypeOf(err)
	if t.PkgPath() == "" && t.Name() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}

// stripStackCarriers returns err without the outer links that only carry
// a stack, such as echoerr.RecoverStack's (their text is that of the error
// they wrap), so that a panic's exception.type is the panic value's type,
// as span.RecordError would name an error that was not recovered. (echoerr
// leaves that wrapper out of its own chain listings, but exports nothing
// that does it.)
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
