package main

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getsentry/sentry-go"
	sentryecho "github.com/getsentry/sentry-go/echo"
	"github.com/labstack/echo/v5"

	echoerr "github.com/echoerr/echoerr/v5"
)

// reportToSentry is echoerr's reporter: it captures e, once, on the hub
// sentryecho put on the request (so the event is linked to the request's
// transaction), with
//
//   - the error chain as Sentry exceptions, outermost last, each link's text
//     with the request's secret header values redacted;
//   - the stack the error carries (see tracedError), or none: the
//     reporter's own stack says nothing about where the error came from;
//   - the request (method, URL, headers without secrets), the route, the
//     status and the request id as tags and the "response" context.
func reportToSentry(c *echo.Context, e *echoerr.Error) {
	hub := sentryecho.GetHubFromContext(c)
	if hub == nil { // the handler ran outside sentryecho (a Pre middleware's error)
		hub = sentry.CurrentHub().Clone()
	}
	err := e.Err
	if err == nil {
		err = e
	}
	depth := 10
	if client := hub.Client(); client != nil {
		depth = client.Options().MaxErrorDepth
	}
	redact := redactor(c)

	event := sentry.NewEvent()
	event.Level = sentry.LevelError
	event.SetException(err, depth)
	if n := len(event.Exception); n > 0 && sentry.ExtractStacktrace(err) == nil {
		event.Exception[n-1].Stacktrace = nil // SetException's default: the reporter's stack
	}
	for i := range event.Exception {
		event.Exception[i].Value = redact(event.Exception[i].Value)
	}
	req := c.Request()
	route := c.Path()
	if route == "" {
		route = req.URL.Path
	}
	event.Transaction = req.Method + " " + route
	event.Request = sentry.NewRequest(req)
	scrubRequest(event.Request)
	event.Tags["http.status_code"] = strconv.Itoa(e.Code)
	event.Tags["http.route"] = c.Path()
	if id := requestID(c); id != "" {
		event.Tags["request_id"] = id
	}
	event.Contexts["response"] = sentry.Context{"status_code": e.Code}
	hub.CaptureEvent(event)
}

func requestID(c *echo.Context) string {
	if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
		return id
	}
	return c.Request().Header.Get(echo.HeaderXRequestID)
}

// secretHeaders never leave the process, whatever SendDefaultPII says.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// scrubEvent is the BeforeSend and BeforeSendTransaction hook: it drops the
// secret headers and the cookies from the event's request. sentry-go drops
// them itself unless SendDefaultPII is on; this holds either way.
func scrubEvent(event *sentry.Event, _ *sentry.EventHint) *sentry.Event {
	scrubRequest(event.Request)
	return event
}

func scrubRequest(r *sentry.Request) {
	if r == nil {
		return
	}
	r.Cookies = ""
	for name := range r.Headers {
		for _, s := range secretHeaders {
			if strings.EqualFold(name, s) {
				delete(r.Headers, name)
			}
		}
	}
}

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
