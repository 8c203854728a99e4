package main

import (
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
//     with the request's secret header values redacted (echoerr.Redact);
//   - the stack the error carries (a panic's, from echoerr.Recover;
//     withStack's), or none: the reporter's own stack says nothing about
//     where the error came from;
//   - the request (method, URL, headers without secrets), the route, the
//     status and the request id as tags and the "response" context;
//   - echoerr's fingerprint of the error, so that Sentry groups its events
//     as echoerr's storm control and the logs do.
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

	event := sentry.NewEvent()
	event.Level = sentry.LevelError
	event.SetException(err, depth)
	if n := len(event.Exception); n > 0 && sentry.ExtractStacktrace(err) == nil {
		event.Exception[n-1].Stacktrace = nil // SetException's default: the reporter's stack
	}
	for i := range event.Exception {
		event.Exception[i].Value = echoerr.Redact(c, event.Exception[i].Value)
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
	if e.Fingerprint != "" { // set by echoerr's storm control: Sentry groups as the logs do
		event.Fingerprint = []string{e.Fingerprint}
	}
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
