package engine

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/echoerr/echoerr/internal/engine/storm"
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
	case x.panicVal != nil, x.renderErr != nil, x.facts.bad, x.fe.Code >= 500:
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
	if !l.Enabled(ctx, level) || !x.admit(storm.Log, level) {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			// The log handler itself failed; there is nowhere left to log to
			// but the default logger, which may well be a different handler.
			safeDefaultLog("echoerr: log handler panicked", p)
		}
	}()
	msg := "request failed"
	if x.panicVal != nil {
		msg = "panic while handling request error"
	}
	l.LogAttrs(ctx, level, msg, x.logAttrs(level)...)
}

// logAttrs are the attributes of the error's log record. Every text that
// may quote the request (the error, its chain, a stack, a handler's or a
// renderer's failure, a panic) has the values of the secret headers
// redacted, as debug output has (invariant 4), and is bounded (see
// bound.go).
func (x *exchange) logAttrs(level slog.Level) []slog.Attr {
	r := redactorOf(x.secrets(), 1)
	attrs := x.requestAttrs(make([]slog.Attr, 0, 13))
	if x.err != nil {
		attrs = append(attrs, slog.String("error", boundedErrorText(x.face, x.err, r)))
	}
	if level >= slog.LevelError {
		attrs = append(attrs, slog.Any("chain", chainText(x.face, x.err, r)))
		if st := stackOf(x.face, x.err); st != "" {
			attrs = append(attrs, slog.String("stack", r.redact(st))) // at most MaxStackText
		}
	}
	if x.facts.bad {
		attrs = append(attrs, slog.Int("invalid_status", x.facts.invalid))
	}
	return x.troubleAttrs(attrs, r)
}

// requestAttrs appends the status the client got, the request and, when
// it differs, the error's own status. A committed response keeps the
// status it was written with; a gone client got nothing, whatever a writer
// recorded.
func (x *exchange) requestAttrs(attrs []slog.Attr) []slog.Attr {
	req := x.face.Request(x.c)
	status := x.fe.Code
	if written, committed := x.face.Written(x.c); committed && written != 0 && !x.gone {
		status = written
	}
	attrs = append(attrs,
		slog.Int("status", status),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.String("route", x.info.Route),
	)
	if id := requestID(req.Header, x.header()); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	if x.fe.Fingerprint != "" {
		attrs = append(attrs, slog.String("fingerprint", x.fe.Fingerprint))
	}
	if status != x.fe.Code {
		attrs = append(attrs, slog.Int("error_status", x.fe.Code))
	}
	return attrs
}

// troubleAttrs appends what went wrong in the handling itself.
func (x *exchange) troubleAttrs(attrs []slog.Attr, r *redactor) []slog.Attr {
	if x.handlerErr != nil {
		attrs = append(attrs, slog.String("handler_error", boundedText(ErrorText(x.handlerErr), r)))
	}
	if x.renderErr != nil {
		attrs = append(attrs, slog.String("render_error", boundedText(ErrorText(x.renderErr), r)))
	}
	if x.panicVal != nil {
		attrs = append(attrs,
			slog.String("panic", boundedText(fmt.Sprint(x.panicVal), r)),
			slog.String("panic_stack", r.redact(string(x.panicStack))))
	}
	return attrs
}

// secrets returns the matcher of the values of the request's and the
// response's secret headers, or nil when there are none. It is built on
// first use and kept for the exchange's public text, debug detail and log
// record. It costs a look at each header name when no secret header is
// present.
func (x *exchange) secrets() *matcher {
	if !x.secretsRead {
		x.secretsRead = true
		req, res := x.face.Request(x.c).Header, x.header()
		if hasSecrets(req, res) {
			x.secretMatcher = newMatcher(secretValues(req, res))
		}
	}
	return x.secretMatcher
}

// admit asks the storm control, when there is one, whether the error's
// record (or report) is written in full; the fingerprint is computed then,
// unless a route or handler set one.
func (x *exchange) admit(k storm.Kind, level slog.Level) bool {
	st := x.s.use.storms
	if st == nil {
		return true
	}
	if x.fe.Fingerprint == "" {
		x.fe.Fingerprint = storm.Fingerprint(x.fe.Code, x.info.Route, x.err, walk)
	}
	ev := storm.Event{Fingerprint: x.fe.Fingerprint, Status: x.fe.Code, Route: x.info.Route, Level: level, Logger: x.logger()}
	return st.Admit(x.context(), k, &ev)
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
	if x.admit(storm.Report, x.level()) {
		reporter(x.c, &x.fe)
	}
}

// chainText lists the links of the chain as "type: message", bounded as
// chainView.list bounds them, each message redacted by r.
func chainText(face Face, err error, r *redactor) []string {
	var out []string
	newChainView(face, err).list(r, func(typ, text string) {
		out = append(out, typ+": "+text)
	})
	return out
}
