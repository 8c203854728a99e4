package main

import (
	"encoding/base64"
	"errors"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"

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
// and the stack, and with the stack the error carries (a panic's, through
// echoerr.RecoverStack). It runs inside otelecho, so the span is the
// request's server span.
func recordException(c echo.Context, e *echoerr.Error) {
	span := trace.SpanFromContext(c.Request().Context())
	if !span.IsRecording() {
		return
	}
	err := e.Err
	if err == nil {
		err = e
	}
	redact := redactor(c)
	attrs := []attribute.KeyValue{
		semconv.ExceptionType(typeName(stripStackCarriers(err))),
		semconv.ExceptionMessage(redact(err.Error())),
	}
	if st := stackOf(err); st != "" {
		attrs = append(attrs, semconv.ExceptionStacktrace(redact(st)))
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
// they wrap), so that a panic's exception.type is the panic value's type.
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

// stackOf returns the stack an error of the chain carries through a
// Stack() []byte method, as echoerr.RecoverStack's errors do.
func stackOf(err error) string {
	var s interface{ Stack() []byte }
	if errors.As(err, &s) {
		return strings.TrimSpace(string(s.Stack()))
	}
	return ""
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
func redactor(c echo.Context) func(string) string {
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
