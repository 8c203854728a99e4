package echoerr

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/echoerr/echoerr/httperr"
	"github.com/echoerr/echoerr/internal/engine"
)

// EchoJSON returns a Renderer that writes the body Echo v5's
// DefaultHTTPErrorHandler(exposeError) writes, byte for byte, with
// exposeError the debug setting, so that an API can switch to echoerr
// without its clients noticing:
//
//	{"message":"Not Found"}
//
// For the outermost echo.HTTPStatusCoder in the chain: one that is a
// json.Marshaler (an *echo.BindingError) is encoded as it is; an
// *echo.HTTPError gives {"message": Message}, or the status text when
// Message is empty, and in debug mode "error" with the text of the error
// it wraps; anything else gives {"message": status text}, and in debug mode
// "error" with the error's text. Debug text has secrets redacted. A
// Description set by a handler replaces the message. The body is encoded
// with e.JSONSerializer and buffered, so a failing serializer sends
// nothing. Extensions are not shown.
//
// What differs from Echo's handler: the statuses echoerr decides otherwise
// (503 for context.DeadlineExceeded, 500 for an invalid status) and the
// response's headers (X-Content-Type-Options, Cache-Control, the error's
// own headers).
func EchoJSON() Renderer {
	return echoJSONRenderer{}
}

type echoJSONRenderer struct{}

// MediaTypes returns the media type of the Echo-compatible JSON renderer.
func (echoJSONRenderer) MediaTypes() []string { return []string{echo.MIMEApplicationJSON} }

func (echoJSONRenderer) Render(c *echo.Context, e *Error) error {
	msg := echoMessage(engine.Ctx{Face: face{}, C: c}, e)
	var ser echo.JSONSerializer = echo.DefaultJSONSerializer{}
	if c.Echo() != nil && c.Echo().JSONSerializer != nil {
		ser = c.Echo().JSONSerializer
	}
	body, err := serialize(c, ser, msg)
	if err != nil {
		return err
	}
	return Send(c, e.Code, echo.MIMEApplicationJSON, body)
}

// serialize encodes msg with ser into memory: c's writer is a buffer while
// ser runs, and is put back however ser returns. A serializer that panics
// must not leave c writing into the buffer: the engine answers the panic
// with its minimal 500 through c's writer, which would otherwise be lost,
// leaving the client an empty 200.
func serialize(c *echo.Context, ser echo.JSONSerializer, msg any) ([]byte, error) {
	res := c.Response()
	buf := &bufferWriter{header: res.Header()}
	c.SetResponse(buf)
	defer c.SetResponse(res)
	err := ser.Serialize(c, msg, "")
	return buf.body, err
}

// echoMessage returns what Echo's default handler would pass to c.JSON.
func echoMessage(x engine.Ctx, e *Error) any {
	var sc echo.HTTPStatusCoder
	engine.Walk(e.Err, func(link error) bool { // bounded, unlike errors.As
		sc, _ = link.(echo.HTTPStatusCoder)
		return sc != nil
	})
	if he, ok := sc.(*echo.HTTPError); ok && he == nil {
		sc = nil // a typed nil: Echo's own handler would panic on it
	}
	debug := e.Debug != nil
	text := http.StatusText(e.Code)
	if _, ok := sc.(*echo.HTTPError); ok || e.Description != engine.FromError(face{}, e.Err).Description {
		// The HTTPError's Message (normalized into the description), or a
		// description a handler set; otherwise Echo's status text.
		if e.Description != httperr.StatusDescription(e.Code) || text == "" {
			text = e.Description
		}
	}
	switch m := sc.(type) {
	case json.Marshaler:
		return m
	case *echo.HTTPError:
		out := map[string]any{"message": text}
		if wrapped := m.Unwrap(); debug && wrapped != nil {
			out["error"] = engine.Redact(x, engine.ErrorText(wrapped))
		}
		return out
	}
	out := map[string]any{"message": text}
	if debug && e.Err != nil {
		out["error"] = engine.Redact(x, engine.ErrorText(e.Err))
	}
	return out
}

// bufferWriter is an http.ResponseWriter that keeps the body, so that a
// JSONSerializer's output can be checked before anything is sent.
type bufferWriter struct {
	header http.Header
	body   []byte
}

func (w *bufferWriter) Header() http.Header { return w.header }

func (w *bufferWriter) Write(p []byte) (int, error) {
	w.body = append(w.body, p...)
	return len(p), nil
}

func (w *bufferWriter) WriteHeader(int) {}
