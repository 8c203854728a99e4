package echoerr

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
)

// observe logs the error once and reports it once when it is reportable.
// Neither a panicking log handler nor a panicking reporter can break the
// response, which is already written.
func (x *exchange) observe() {
	x.observed = true
	x.log()
	x.report()
}

// level is the log level for a response status.
func (x *exchange) level() slog.Level {
	switch code := x.fe.Code; {
	case x.trouble != nil && (x.trouble.panicVal != nil || x.trouble.renderErr != nil), x.badStatus, code >= 500:
		return slog.LevelError
	case code == StatusClientClosedRequest:
		return slog.LevelDebug
	default:
		return slog.LevelInfo
	}
}

func (x *exchange) log() {
	l := x.logger()
	ctx := x.c.Request().Context()
	level := x.level()
	if !l.Enabled(ctx, level) {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			// The log handler itself failed; there is nowhere left to log to
			// but the default logger, which may well be a different handler.
			safeDefaultLog("echoerr: log handler panicked", p)
		}
	}()
	req := x.c.Request()
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.Int("status", x.fe.Code),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.String("route", x.c.Path()),
	)
	if id := requestID(x.c); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	if x.err != nil {
		attrs = append(attrs, slog.String("error", safeErrorText(x.err)))
	}
	if level >= slog.LevelError {
		attrs = append(attrs, slog.Any("chain", chainText(x.err)))
		if st := stackOf(x.err); st != "" {
			attrs = append(attrs, slog.String("stack", st))
		}
	}
	if x.badStatus {
		attrs = append(attrs, slog.Int("invalid_status", x.invalid))
	}
	msg := "request failed"
	if t := x.trouble; t != nil {
		if t.handlerErr != nil {
			attrs = append(attrs, slog.String("handler_error", safeErrorText(t.handlerErr)))
		}
		if t.renderErr != nil {
			attrs = append(attrs, slog.String("render_error", safeErrorText(t.renderErr)))
		}
		if t.panicVal != nil {
			msg = "panic while handling request error"
			attrs = append(attrs,
				slog.String("panic", fmt.Sprint(t.panicVal)),
				slog.String("panic_stack", string(t.panicStack)))
		}
	}
	l.LogAttrs(ctx, level, msg, attrs...)
}

func safeDefaultLog(msg string, p any) {
	defer func() { _ = recover() }()
	slog.Default().Error(msg, slog.String("panic", fmt.Sprint(p)))
}

// requestIDHeader is echo.HeaderXRequestID in canonical form, as
// http.Header.Set stores it: looking it up directly saves canonicalizing
// the key on every error.
const requestIDHeader = "X-Request-Id"

// requestID returns the request id set by middleware.RequestID (on the
// response) or by a proxy (on the request).
func requestID(c echo.Context) string {
	if v := c.Response().Header()[requestIDHeader]; len(v) > 0 && v[0] != "" {
		return v[0]
	}
	if v := c.Request().Header[requestIDHeader]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (x *exchange) report() {
	if x.fe.Code == StatusClientClosedRequest {
		return // the client went away: nothing for a developer to fix
	}
	reporter := x.s.use.reporter
	if reporter == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			x.logger().Error("echoerr: reporter panicked", slog.String("panic", fmt.Sprint(p)))
		}
	}()
	// The default filter is asked about fe itself: only an error it lets
	// through is copied for the reporter, so a flood of 404s allocates
	// nothing here. A filter of the user's gets the copy, which it may keep.
	if filter := x.s.use.reportIf; filter != nil {
		if !filter(x.public()) {
			return
		}
	} else if !defaultReportable(&x.fe) {
		return
	}
	reporter(x.c, x.public())
}

// defaultReportable reports server errors, which need a developer's
// attention; 4xx are the client's business.
func defaultReportable(e *Error) bool {
	return e.Code >= http.StatusInternalServerError
}

// safeErrorText returns err.Error(), or a note when Error() panics (a typed
// nil whose method dereferences its receiver, say).
func safeErrorText(err error) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("<%T: Error() panicked: %v>", err, p)
		}
	}()
	return err.Error()
}

// chainText lists each link of the chain as "type: message", without
// echoerr's own wrappers (see hiddenLink).
func chainText(err error) []string {
	var out []string
	walkErrors(err, func(link error) bool {
		if !hiddenLink(link) {
			out = append(out, fmt.Sprintf("%T: %s", link, safeErrorText(link)))
		}
		return false
	})
	return out
}
