package echoerr

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr/httperr"
	"github.com/echoerr/echoerr/internal/engine"
)

// EchoJSON returns a Renderer that writes the body Echo v4's
// DefaultHTTPErrorHandler writes, byte for byte, so that an API can switch
// to echoerr without its clients noticing:
//
//	{"message":"Not Found"}
//
// For an *echo.HTTPError in the chain (the one in its Internal, when there
// is one, as in Echo) the body is its Message: a string as
// {"message": ...}, an error as {"message": err.Error()}, and anything else
// (a map, a json.Marshaler) encoded as it is. Any other error gets
// {"message":"Internal Server Error"}, or for another status the status
// text; a Description set by a handler or carried by the error replaces
// the text. Extensions are not shown.
//
// In debug mode a string message gets an "error" member with the error's
// text (secrets redacted, and cut at 1 KiB as a link of the debug chain is)
// and the body is indented, as Echo's is; the
// ?pretty query parameter indents too, as with c.JSON. The body is encoded
// with e.JSONSerializer, so a custom serializer is honoured, and buffered,
// so a failing serializer sends nothing.
//
// What differs from Echo's handler: a wrapped *echo.HTTPError keeps its
// status (Echo answers 500), and the response carries echoerr's headers
// (X-Content-Type-Options, Cache-Control, the error's own headers).
func EchoJSON() Renderer {
	return echoJSONRenderer{}
}

type echoJSONRenderer struct{}

func (echoJSONRenderer) Render(c echo.Context, e *Error) error {
	d := e.Debug
	msg := echoMessage(c, e, d)
	indent := ""
	if _, pretty := c.QueryParams()["pretty"]; d != nil || pretty {
		indent = "  "
	}
	var ser echo.JSONSerializer = echo.DefaultJSONSerializer{}
	if c.Echo() != nil && c.Echo().JSONSerializer != nil {
		ser = c.Echo().JSONSerializer
	}
	bc := &bufferContext{Context: c}
	bc.res = echo.NewResponse(&bc.w, c.Echo())
	if err := ser.Serialize(bc, msg, indent); err != nil {
		return err
	}
	return Send(c, e.Code, echo.MIMEApplicationJSON, bc.w.body)
}

// MediaTypes returns the media type of the Echo-compatible JSON renderer.
func (echoJSONRenderer) MediaTypes() []string { return []string{echo.MIMEApplicationJSON} }

// echoMessage returns what Echo's default handler would pass to c.JSON,
// with the secrets redacted from an error's text and the internal text of
// Echo's Proxy middleware (see proxyUpstreamText) replaced by the status
// text.
func echoMessage(c echo.Context, e *Error, d *httperr.DebugInfo) any {
	var he *echo.HTTPError
	engine.Walk(e.Err, func(link error) bool { // bounded, unlike errors.As
		he, _ = link.(*echo.HTTPError)
		return he != nil
	})
	if he != nil {
		if inner, ok := he.Internal.(*echo.HTTPError); ok && inner != nil {
			he = inner
		}
		switch m := he.Message.(type) {
		case string:
			// A handler may have replaced the description; text that
			// normalization merely derived from m is Echo's m.
			if e.Description != m && e.Description != httperr.StatusDescription(e.Code) {
				m = e.Description
			} else if proxyUpstreamText(he.Code, m) {
				m = http.StatusText(he.Code)
			}
			// Public text, redacted as the description is (invariant 4),
			// whichever it came from.
			return stringMessage(engine.RedactPublic(engine.Ctx{Face: face{}, C: c}, m), e, d)
		case json.Marshaler:
			return m
		case error:
			return echo.Map{"message": engine.Redact(engine.Ctx{Face: face{}, C: c}, engine.ErrorText(m))}
		default:
			return m
		}
	}
	m := http.StatusText(e.Code)
	if e.Description != httperr.StatusDescription(e.Code) || m == "" {
		m = e.Description
	}
	return stringMessage(m, e, d)
}

// stringMessage is Echo's {"message": m}, with "error" in debug mode.
func stringMessage(m string, e *Error, d *httperr.DebugInfo) echo.Map {
	if d == nil {
		return echo.Map{"message": m}
	}
	text := e.Error()
	if len(d.Chain) > 0 {
		text = d.Chain[0].Message // the route's error, redacted
	}
	return echo.Map{"message": m, "error": text}
}

// bufferContext is an echo.Context whose Response writes to memory, so a
// JSONSerializer's output can be checked before anything is sent.
type bufferContext struct {
	echo.Context
	res *echo.Response
	w   bufferWriter
}

func (c *bufferContext) Response() *echo.Response { return c.res }

// bufferWriter is an http.ResponseWriter that keeps the body.
type bufferWriter struct {
	header http.Header
	body   []byte
}

func (w *bufferWriter) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *bufferWriter) Write(p []byte) (int, error) {
	w.body = append(w.body, p...)
	return len(p), nil
}

func (w *bufferWriter) WriteHeader(int) {}
