package engine

import (
	"fmt"
	"log/slog"
	"net/http"
)

// observe logs the error once and reports it once when it is reportable.
// Neither a panicking log handler nor a panicking reporter can break the
// response, which is already written.
func (x *exchange) observe() {
	if x.observed {
		return
	}
	x.observed = true
	x.log()
	x.report()
}

// level is the log level for the outcome: 5xx and any failure of the
// handling itself at Error, a gone client at Debug, the rest at Info.
func (x *exchange) level() slog.Level {
	switch {
	case x.trouble != nil && (x.trouble.panicVal != nil || x.trouble.renderErr != nil), x.facts.bad, x.fe.Code >= 500:
		return slog.LevelError
	case x.fe.Code == StatusClientClosedRequest:
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

func (x *exchange) log() {
	l := x.logger()
	ctx := x.context()
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
	req := x.face.Request(x.c)
	attrs := make([]slog.Attr, 0, 12)
	// The status the client got: a committed response keeps the one it
	// was written with, and the error's own is logged beside it.
	status := x.fe.Code
	if written, committed := x.face.Written(x.c); committed && written != 0 {
		status = written
	}
	attrs = append(attrs,
		slog.Int("status", status),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.String("route", x.face.Route(x.c)),
	)
	if id := requestID(req.Header, x.face.Header(x.c)); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	if status != x.fe.Code {
		attrs = append(attrs, slog.Int("error_status", x.fe.Code))
	}
	if x.err != nil {
		attrs = append(attrs, slog.String("error", boundedErrorText(x.face, x.err)))
	}
	if level >= slog.LevelError {
		attrs = append(attrs, slog.Any("chain", chainText(x.face, x.err)))
		if st := stackOf(x.face, x.err); st != "" {
			attrs = append(attrs, slog.String("stack", st))
		}
	}
	if x.facts.bad {
		attrs = append(attrs, slog.Int("invalid_status", x.facts.invalid))
	}
	msg := "request failed"
	if t := x.trouble; t != nil {
		if t.handlerErr != nil {
			attrs = append(attrs, slog.String("handler_error", boundedText(ErrorText(t.handlerErr))))
		}
		if t.renderErr != nil {
			attrs = append(attrs, slog.String("render_error", boundedText(ErrorText(t.renderErr))))
		}
		if t.panicVal != nil {
			msg = "panic while handling request error"
			attrs = append(attrs,
				slog.String("panic", boundedText(fmt.Sprint(t.panicVal))),
				slog.String("panic_stack", string(t.panicStack)))
		}
	}
	l.LogAttrs(ctx, level, msg, attrs...)
}

func safeDefaultLog(msg string, p any) {
	defer func() { _ = recover() }()
	slog.Default().Error(msg, slog.String("panic", fmt.Sprint(p)))
}

// requestID returns the request id set by Echo's RequestID middleware (on
// the response) or by a proxy (on the request).
func requestID(req, res http.Header) string {
	if v := res.Get("X-Request-Id"); v != "" {
		return v
	}
	return req.Get("X-Request-Id")
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
	if filter := x.s.use.reportIf; filter != nil {
		if !filter(&x.fe) {
			return
		}
	} else if x.fe.Code < http.StatusInternalServerError {
		return // 4xx are the client's business
	}
	reporter(x.c, &x.fe)
}

// chainText lists the links of the chain as "type: message", bounded as
// chainView.list bounds them.
func chainText(face Face, err error) []string {
	var out []string
	newChainView(face, err).list(func(s string) string { return s }, func(typ, text string) {
		out = append(out, typ+": "+text)
	})
	return out
}
