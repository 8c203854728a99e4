package facetest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// FuzzInvariants checks the design brief's seven invariants (DESIGN.md,
// "Invariants") for generated applications, errors and requests (see
// generate.go): each input is decoded into a scenario, served by a real
// Echo built by face behind a real server on loopback, requested over a raw
// TCP connection (so that header lines and their letter case are the
// generator's), and checked on the wire, in the log and in the reports.
// Each check names the invariant it holds.
func FuzzInvariants(f *testing.F, face Face) {
	s := &suite{f: face, caps: face.Capabilities()}
	for _, seed := range append(invariantSeeds(), regressionSeeds()...) {
		f.Add(seed.prog, seed.text)
	}
	w := newWireServer(f)
	f.Fuzz(func(t *testing.T, prog []byte, text string) {
		if len(prog) > 256 || len(text) > 4096 {
			return
		}
		w.check(t, s, s.decode(prog, text))
	})
}

// CheckScenario runs one generated scenario against face and checks the
// invariants; it is FuzzInvariants' body, for replaying one input.
func CheckScenario(t *testing.T, face Face, prog []byte, text string) {
	s := &suite{f: face, caps: face.Capabilities()}
	newWireServer(t).check(t, s, s.decode(prog, text))
}

// wireServer is one real server on loopback for many scenarios: each
// scenario installs its own application.
type wireServer struct {
	srv     *httptest.Server
	cur     atomic.Pointer[genIteration]
	errLog  *syncBuffer
	errSeen int
}

// genIteration is the application of one scenario and the signals of its
// requests.
type genIteration struct {
	h       http.Handler
	entered atomic.Int32
	done    chan struct{}
}

func newWireServer(tb testing.TB) *wireServer {
	w := &wireServer{errLog: &syncBuffer{}}
	w.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.cur.Load().h.ServeHTTP(rw, r)
	}))
	w.srv.Config.ErrorLog = log.New(w.errLog, "", 0)
	w.srv.Start()
	tb.Cleanup(w.srv.Close)
	return w
}

// exchange is what the client saw.
type exchange struct {
	res      *http.Response
	informal []int  // 1xx statuses before the final response
	raw      []byte // the body as sent (after de-chunking)
	body     []byte // the body decoded (gunzipped)
	readErr  error  // the response could not be read whole
	extra    []byte // bytes after the framed response
}

// check runs sc and checks every invariant.
func (w *wireServer) check(t *testing.T, s *suite, sc *scenario) {
	if genCookieCounts[sc.cookies] < 500 || sc.textSize < 100<<10 || sc.hangup {
		w.run(t, s, sc, true)
		return
	}
	// Invariant 3 (linear): with thousands of cookies and a long text, the
	// bytes allocated while serving the request stand in for its work (no
	// timing: a busy machine would make a clock flaky). A cost of cookies
	// times text (each secret searched for in the text on its own) is some
	// hundred times the bound below.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	w.run(t, s, sc, true)
	runtime.ReadMemStats(&after)
	// The error's texts, all of them: a chain may repeat the text in
	// several links and descriptions.
	input := max(sc.textSize, sc.errFacts.textLen) + genCookieCounts[sc.cookies]*genCookieBytes
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(64*input+16<<20); got > limit {
		msg := fmt.Sprintf("invariant 3: %d cookies and a %d-byte text allocated %d bytes (bound %d): not linear",
			genCookieCounts[sc.cookies], sc.textSize, got, limit)
		t.Errorf("%s\n%s", msg, sc)
	}
}

// genCookieBytes is about how long one generated cookie is on the wire.
const genCookieBytes = 32

// run serves sc once and checks it when checks is set.
func (w *wireServer) run(t *testing.T, s *suite, sc *scenario, checks bool) {
	logs, reps := &LogRecorder{}, &ReportRecorder{}
	st := &genState{}
	app := s.genApp(sc, st, logs, reps)
	var echoLog syncBuffer
	app.EchoLog = &echoLog
	h := func() (h http.Handler) {
		defer func() {
			if p := recover(); p != nil {
				// Invariant 6: New refuses a bad registration with a message;
				// it never panics with a runtime error.
				t.Fatalf("invariant 6: building the application panicked: %v\n%s", p, sc)
			}
		}()
		return s.f.Serve(t, app)
	}()
	it := &genIteration{done: make(chan struct{}, 4)}
	var outer http.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		it.entered.Add(1)
		defer func() { it.done <- struct{}{} }()
		h.ServeHTTP(rw, r)
	})
	if sc.flags&genFlagTimeout != 0 {
		outer = http.TimeoutHandler(outer, 5*time.Second, "timeout")
	}
	it.h = outer
	w.cur.Store(it)

	x := w.send(t, sc)
	// Wait for the server to finish the request, so that its log is whole.
	// The waits are guards against a hang, not measurements: generous, so
	// that a busy machine or the race detector cannot trip them.
	wait := 30 * time.Second
	if it.entered.Load() == 0 {
		wait = 300 * time.Millisecond
		if sc.hangup {
			wait = time.Second
		}
	}
	select {
	case <-it.done:
	case <-time.After(wait):
		if it.entered.Load() != 0 {
			t.Fatalf("the handler did not return within %v\n%s", wait, sc)
		}
	}
	if !checks {
		return
	}
	recs := logs.Records()
	reports := reps.Reports()
	ctx := &checkCtx{t: t, s: s, sc: sc, st: st, x: x, recs: recs, reports: reports}
	ctx.checkLog()
	ctx.checkBounds()
	ctx.checkLeaks()
	if !sc.hangup {
		ctx.checkWire()
		ctx.checkHeaders()
	}
	// Invariant 6 (never panics, never crashes): nothing escaped to
	// net/http (which logs a handler's panic, except ErrAbortHandler), and
	// the server still answers a normal request.
	if text := w.errLog.String(); strings.Count(text, "panic serving") > w.errSeen {
		t.Errorf("invariant 6: a panic escaped to net/http:\n%s\n%s", tail(text, 4000), sc)
		w.errSeen = strings.Count(text, "panic serving")
	}
	w.probe(t, sc, it)
}

// probe checks that the server still answers GET /ok (invariant 6).
func (w *wireServer) probe(t *testing.T, sc *scenario, it *genIteration) {
	conn, err := net.Dial("tcp", w.srv.Listener.Addr().String())
	if err != nil {
		t.Fatalf("invariant 6: the server does not accept connections: %v\n%s", err, sc)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = io.WriteString(conn, "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: http.MethodGet})
	if err != nil {
		t.Fatalf("invariant 6: the server no longer answers a normal request: %v\n%s", err, sc)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Errorf("invariant 6: a normal request after the scenario got %d %q\n%s", res.StatusCode, body, sc)
	}
	select {
	case <-it.done:
	case <-time.After(2 * time.Second):
	}
}

// request is the scenario's request, byte for byte.
func (sc *scenario) request() string {
	var b strings.Builder
	name := func(n string) string {
		if sc.req&genReqOddCase == 0 {
			return n
		}
		// Odd letter case: alternate, starting lower.
		r := []byte(n)
		for i := range r {
			if i%2 == 0 {
				r[i] = bytes.ToLower(r[i : i+1])[0]
			} else {
				r[i] = bytes.ToUpper(r[i : i+1])[0]
			}
		}
		return string(r)
	}
	host := "127.0.0.1"
	if sc.req&genReqHost != 0 {
		host = "h.example"
	}
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n%s: close\r\n", sc.method, sc.path, host, name("Connection"))
	fmt.Fprintf(&b, "%s: Bearer %s\r\n", name("Authorization"), genSecretAuth)
	fmt.Fprintf(&b, "%s: Basic %s\r\n", name("Proxy-Authorization"), genSecretProxy)
	fmt.Fprintf(&b, "%s: session=%s", name("Cookie"), genSecretCook)
	for i := 1; i < genCookieCounts[sc.cookies]; i++ {
		fmt.Fprintf(&b, "; c%d=v%d", i, i)
	}
	b.WriteString("\r\n")
	for _, a := range genAccepts[sc.accept] {
		fmt.Fprintf(&b, "%s: %s\r\n", name("Accept"), a)
	}
	if sc.req&genReqGzip != 0 {
		fmt.Fprintf(&b, "%s: gzip\r\n", name("Accept-Encoding"))
	}
	if sc.req&genReqOrigin != 0 {
		fmt.Fprintf(&b, "%s: http://o.example\r\n", name("Origin"))
	}
	b.WriteString("\r\n")
	return b.String()
}

// send sends the scenario's request on a new connection and reads the
// response as a client does.
func (w *wireServer) send(t *testing.T, sc *scenario) *exchange {
	x := &exchange{}
	conn, err := net.Dial("tcp", w.srv.Listener.Addr().String())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second)) // a guard against a hang, not a measurement
	if _, err := io.WriteString(conn, sc.request()); err != nil {
		x.readErr = err
		return x
	}
	if sc.hangup {
		return x // the deferred Close hangs up
	}
	br := bufio.NewReader(conn)
	req := &http.Request{Method: sc.method}
	for {
		res, err := http.ReadResponse(br, req)
		if err != nil {
			x.readErr = fmt.Errorf("reading the response: %w", err)
			return x
		}
		if res.StatusCode >= 100 && res.StatusCode < 200 && res.StatusCode != http.StatusSwitchingProtocols {
			x.informal = append(x.informal, res.StatusCode)
			continue
		}
		x.res = res
		break
	}
	x.raw, err = io.ReadAll(x.res.Body)
	if err != nil {
		x.readErr = fmt.Errorf("reading the body: %w", err)
		return x
	}
	x.body = x.raw
	if strings.EqualFold(x.res.Header.Get("Content-Encoding"), "gzip") && len(x.raw) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(x.raw))
		if err == nil {
			x.body, err = io.ReadAll(zr)
		}
		if err != nil {
			x.readErr = fmt.Errorf("gunzip: %w", err)
		}
	}
	// Anything after the framed response is a framing violation.
	_ = conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	var extra bytes.Buffer
	_, _ = io.Copy(&extra, br)
	x.extra = extra.Bytes()
	return x
}

// checkCtx is one scenario's outcome.
type checkCtx struct {
	t       *testing.T
	s       *suite
	sc      *scenario
	st      *genState
	x       *exchange
	recs    []slog.Record
	reports []Canonical
}

func (c *checkCtx) fail(inv int, format string, args ...any) {
	c.t.Helper()
	msg := fmt.Sprintf("invariant %d: %s", inv, fmt.Sprintf(format, args...))
	c.t.Errorf("%s\n%s\nlog:%s", msg, c.sc, tail(recordsText(c.recs), 3000))
}

// errorReached: an error reached echoerr (the route ran, and it always
// fails, or echoerr logged something: a routing error).
func (c *checkCtx) errorReached() bool { return c.st.ran.Load() || len(c.recs) > 0 }

// commitHidden: the route committed its response through a writer without
// Unwrap on a face that cannot see it there. Documented limit
// (reference.md, "Echo v5"): Echo v5's Response below such a writer is out
// of reach, for echoerr and for Echo's own handlers; what follows the
// route's commit (the error page, or a failed write of it after a 204) is
// not promised.
func (c *checkCtx) commitHidden() bool {
	return c.committedStatus() != 0 && !c.s.caps.CommitSeenBehindPlainWriter && slices.Contains(c.sc.mws, "PlainWriter")
}

// carriedStatus is the status the route's error carries (see
// errGen.statusOf) when nothing else may decide the response: the route
// returned the error, or handed it to c.Error once, and no handler ran.
// Otherwise stUnknown.
func (c *checkCtx) carriedStatus() int {
	sc := c.sc
	if !c.st.ran.Load() || c.st.handlerRan.Load() || sc.hangup || (sc.fail != failReturn && sc.fail != failCError) {
		return stUnknown
	}
	if sc.errFacts.deadline && slices.Contains(sc.mws, "ContextTimeout") {
		// Echo's ContextTimeout answers an error holding
		// context.DeadlineExceeded, at any depth, with its own 503 around
		// it: a carrier outside the route's error.
		return stUnknown
	}
	return sc.status
}

// aborted: the client got no complete response.
func (c *checkCtx) aborted() bool { return c.x.res == nil || c.x.readErr != nil }

// routeAborts: the route panics with http.ErrAbortHandler, or hands it to
// echoerr as it is (returned, or through c.Error), which echoerr panics
// with again (invariant 6). Wrapped, it is allowed either way (the brief
// does not say).
func (c *checkCtx) routeAborts() bool {
	sc := c.sc
	return c.st.ran.Load() && (sc.fail == failAbort || (sc.fail != failWrapped && sc.err == http.ErrAbortHandler))
}

// abortExpected: the route panicked with http.ErrAbortHandler before it
// committed its response, so net/http must abort the connection (invariant
// 6). After a commit the client may have got a complete response already.
func (c *checkCtx) abortExpected() bool {
	return c.routeAborts() && c.committedStatus() == 0
}

// abortAllowed: the error holds http.ErrAbortHandler, which echoerr may
// panic again with (the brief is not explicit for a returned one).
func (c *checkCtx) abortAllowed() bool {
	return c.routeAborts() || (c.st.ran.Load() && c.sc.errFacts.abort)
}

// checkWire holds invariant 1 (one final response, whole and framed) and
// the wire half of invariant 6 (ErrAbortHandler aborts the connection).
func (c *checkCtx) checkWire() {
	x, sc := c.x, c.sc
	if c.abortExpected() {
		// Invariant 6: panic(http.ErrAbortHandler) aborts the connection.
		if !c.aborted() {
			c.fail(6, "http.ErrAbortHandler (panicked, or handed to echoerr as is) got a complete response instead of an aborted connection: %d %q", x.res.StatusCode, trunc(x.body))
		}
		return
	}
	if c.routeAborts() {
		return // after a commit: whatever the client got
	}
	if c.aborted() {
		if c.abortAllowed() {
			return
		}
		c.fail(1, "no complete response: %v (extra %q)", x.readErr, trunc(x.extra))
		return
	}
	res := x.res
	// Invariant 1: framed — nothing after the response.
	if len(x.extra) > 0 {
		c.fail(1, "%d bytes after the framed response: %q (status %d, body %q)", len(x.extra), trunc(x.extra), res.StatusCode, trunc(x.raw))
	}
	// Invariant 1: Transfer-Encoding and Content-Encoding match the bytes.
	if len(res.TransferEncoding) > 1 || (len(res.TransferEncoding) == 1 && res.TransferEncoding[0] != "chunked") {
		c.fail(1, "Transfer-Encoding %q", res.TransferEncoding)
	}
	if ce := res.Header.Values("Content-Encoding"); len(ce) > 1 || (len(ce) == 1 && !strings.EqualFold(ce[0], "gzip")) {
		c.fail(1, "Content-Encoding %q does not describe the body %q", ce, trunc(x.raw))
	}
	if len(res.Header.Values("Content-Length")) > 1 {
		c.fail(1, "several Content-Length: %q", res.Header.Values("Content-Length"))
	}
	// Invariant 1: HEAD gets no body.
	if sc.method == http.MethodHead && len(x.raw) > 0 {
		c.fail(1, "a body for HEAD: %q", trunc(x.raw))
	}
	if !c.errorReached() {
		return // not an error: a CORS preflight, say
	}
	committed := c.committedStatus()
	if committed != 0 && len(c.wrote()) == 0 && res.StatusCode != committed && res.StatusCode >= 400 {
		// The route wrote a status and no byte, and a middleware (Gzip)
		// held the status back: the client got the error's response
		// instead, whole. The brief does not say which is right (Echo's
		// Committed was set); the response is checked as an error's.
		committed = 0
	}
	if c.commitHidden() {
		return
	}
	if committed != 0 {
		// Invariant 1: nothing is appended to a response whose headers
		// already went out; the client got the route's status.
		if res.StatusCode != committed {
			c.fail(1, "the route committed %d, the client got %d", committed, res.StatusCode)
		}
		want := c.wrote()
		if sc.method == http.MethodHead {
			want = nil
		}
		if !bytes.Equal(x.body, want) {
			c.fail(1, "something was appended to the route's committed response: got %q, the route wrote %q", trunc(x.body), want)
		}
		return
	}
	// Invariant 1: a 4xx/5xx, or the status a handler wrote; never an
	// empty 200.
	code := res.StatusCode
	if code == http.StatusOK && len(x.raw) == 0 {
		c.fail(1, "an error answered with an empty 200")
		return
	}
	if code < 400 || code > 599 {
		if !(c.st.handWrote.Load() && code == http.StatusConflict) {
			c.fail(1, "an error answered with status %d: %q", code, trunc(x.body))
		}
		return
	}
	// Invariant 5: a status carrier anywhere in the chain gives its
	// status, as Echo's own handler does.
	if want := c.carriedStatus(); want != stUnknown && code != want {
		c.fail(5, "the error %s carries %d, the client got %d", sc.errDesc, want, code)
	}
	if sc.method == http.MethodHead {
		return
	}
	// Invariant 1: the body is one complete document of its Content-Type.
	mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	body := x.body
	switch {
	case mt == "application/json" || mt == "application/problem+json":
		if !json.Valid(body) {
			c.fail(1, "the body is not one JSON document (%s): %q", mt, trunc(body))
		}
	case mt == "text/html":
		b := bytes.TrimSpace(body)
		if !bytes.HasSuffix(bytes.ToLower(b), []byte("</html>")) || bytes.Count(bytes.ToLower(b), []byte("</html>")) != 1 {
			c.fail(1, "the body is not one complete HTML page: %q", trunc(body))
		}
	case mt == "text/plain":
		if len(body) == 0 {
			c.fail(1, "an empty text/plain error body")
		}
	default:
		c.fail(1, "an error body of Content-Type %q: %q", res.Header.Get("Content-Type"), trunc(body))
	}
}

// committedStatus is the status the route committed before it failed.
func (c *checkCtx) committedStatus() int {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	return c.st.committed
}

func (c *checkCtx) wrote() []byte {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	return append([]byte(nil), c.st.wrote...)
}

// checkLog holds invariant 2 (exactly once per distinct error) and, for a
// client that hung up, the brief's "status 499, not logged as an error".
func (c *checkCtx) checkLog() {
	sc := c.sc
	recs := c.recs
	want := 1
	if c.st.ran.Load() {
		want = sc.distinctErrors()
	}
	if sc.hangup && sc.hidesConnection() {
		// Documented limit (reference.md, "The status"): behind a writer
		// wrapper without Unwrap, or http.TimeoutHandler, the engine cannot
		// see the connection, and a route's context.Canceled is answered
		// as a server failure (never an empty 200 to a client that waits):
		// a client that really left may then be logged as a 500.
		if len(recs) > want {
			c.fail(2, "%d log records for %d distinct errors", len(recs), want)
		}
		return
	}
	if sc.hangup {
		for _, r := range recs {
			if r.Level >= slog.LevelError {
				c.fail(2, "a client that hung up was logged as an error")
			}
		}
		if len(recs) > want {
			c.fail(2, "%d log records for %d distinct errors", len(recs), want)
		}
		if c.st.sawDone.Load() && len(recs) > 0 {
			if v, _ := RecordAttr(recs[0], "status"); v != fmt.Sprint(StatusClientClosedRequest) {
				c.fail(2, "a client that hung up was logged with status %s, not 499", v)
			}
		}
		return
	}
	if c.abortExpected() || (c.abortAllowed() && c.aborted()) {
		return // net/http aborts: what is logged is not promised
	}
	if sc.fail == failAbort && c.st.ran.Load() {
		// The route's panic(http.ErrAbortHandler) goes to net/http: no
		// recovery middleware keeps it (Echo's and echoerr's panic it
		// again), so echoerr is never called for it, even when the route
		// had committed a whole response (a HEAD's headers) before.
		if len(recs) > 0 {
			c.fail(2, "%d log records for an abort echoerr never saw", len(recs))
		}
		return
	}
	if !c.errorReached() {
		return
	}
	// An abort deeper than the engine's walk is not seen, so the route's
	// second error may follow it: then there are two distinct errors, for
	// the log and for the reporter alike.
	if sc.fail == failCErrorTwice && sc.errFacts.abort && len(recs) == 2 {
		want = 2
	}
	// Invariant 2: one log record per distinct error.
	if len(recs) != want {
		c.fail(2, "%d log records for %d distinct errors", len(recs), want)
	}
	// Invariant 2: at most one report per distinct error, and a 5xx is
	// reported (once).
	if len(c.reports) > want {
		c.fail(2, "%d reports for %d distinct errors", len(c.reports), want)
	}
	// Invariant 6: the engine itself never panics: a record of a panic
	// while handling, when no user code (a handler, an error's method)
	// panicked, is a panic of the engine's own, recovered.
	userPanics := sc.errFacts.userPanics || (sc.act == actPanic && c.st.handlerRan.Load())
	for _, r := range recs {
		if p, ok := RecordAttr(r, "panic"); ok && !userPanics {
			c.fail(6, "the engine panicked while handling the error (recovered): %.300s", p)
		}
		// Invariant 1: a built-in renderer renders any error (a
		// Hostile's members aside, which no encoder can write).
		if e, ok := RecordAttr(r, "render_error"); ok && !userPanics && !c.commitHidden() {
			c.fail(1, "a built-in renderer failed: %.300s", e)
		}
	}
	fivexx := 0
	for _, r := range recs {
		v, ok := RecordAttr(r, "error_status")
		if !ok {
			v, _ = RecordAttr(r, "status")
		}
		if n := atoi(v); n >= 500 && n <= 599 {
			fivexx++
		}
	}
	if fivexx > 0 && len(c.reports) == 0 {
		c.fail(2, "a 5xx was logged but not reported")
	}
}

// genRecordBound is the most a log record may hold beyond the request's
// path, whatever the error: the engine documents its bounds (reference.md,
// "Bounds": the error text 8 KiB, the chain 32 links of 1 KiB, a stack
// 64 KiB, a handler's, a renderer's or a panic's text 8 KiB each), and
// their sum, with room for the attribute names, is under this.
const genRecordBound = 192 << 10

// genBodyBound is the size a body may have beyond the error's own texts,
// which a public description carries whole (sixteen times those texts: a
// text may appear in the description and the debug section, and escaping
// may make one byte six: \u003c). It holds the debug section's chain at its
// documented most, escaped: 32 links of 1 KiB and a note, six bytes for
// one (a cyclic chain lists one text 32 times).
const genBodyBound = 64<<10 + 6*33*(1<<10+64)

// checkBounds holds invariant 3 (bounded and linear).
func (c *checkCtx) checkBounds() {
	limit := genRecordBound + 4*len(c.sc.path)
	for _, r := range c.recs {
		if n := len(RecordText(r)); n > limit {
			c.fail(3, "a log record of %d bytes (bound %d)", n, limit)
			break
		}
	}
	if n, limit := len(c.x.body), genBodyBound+16*c.sc.errFacts.textLen; n > limit {
		c.fail(3, "a body of %d bytes (bound %d)", n, limit)
	}
}

// checkLeaks holds invariant 4 (nothing leaks).
func (c *checkCtx) checkLeaks() {
	body := c.x.body
	// The secret headers' values never appear in a body or a log record.
	for _, secret := range []string{genSecretAuth, genSecretProxy, genSecretCook} {
		if bytes.Contains(body, []byte(secret)) || bytes.Contains(c.x.raw, []byte(secret)) {
			c.fail(4, "the secret %q in the body: %q", secret, trunc(body))
		}
		for _, r := range c.recs {
			if strings.Contains(RecordText(r), secret) {
				c.fail(4, "the secret %q in a log record", secret)
				break
			}
		}
	}
	// Outside debug mode the client never sees the text of an error
	// without a public description.
	if !c.sc.debug && bytes.Contains(body, []byte(genPrivate)) {
		c.fail(4, "outside debug mode, an internal error text in the body: %q", trunc(body))
	}
	// No stack but the failing goroutine's, anywhere.
	if n := goroutines(string(body)); n > 1 {
		c.fail(4, "%d goroutines' stacks in the body", n)
	}
	for _, r := range c.recs {
		if n := goroutines(RecordText(r)); n > 1 {
			c.fail(4, "%d goroutines' stacks in a log record", n)
			break
		}
	}
	for _, rep := range c.reports {
		text := rep.Description + " " + c.s.f.StackOf(rep.Err)
		if n := goroutines(text); n > 1 {
			c.fail(4, "%d goroutines' stacks in a report", n)
			break
		}
	}
}

// checkHeaders holds invariant 7 (header names case-insensitive; Accept
// over several lines is one list): with Negotiate(JSON, HTML) in effect, a
// list that asks for HTML only as a whole gets HTML.
func (c *checkCtx) checkHeaders() {
	sc, x := c.sc, c.x
	if !sc.negotiate || !acceptWantsHTML[sc.accept] || c.aborted() || !c.errorReached() {
		return
	}
	if sc.flags&(genFlagScopeG|genFlagScopeF|genFlagHost) != 0 || c.committedStatus() != 0 || c.st.handWrote.Load() {
		return // another renderer may be in effect, or none rendered
	}
	if sc.act == actPanic && c.st.handlerRan.Load() {
		return // the minimal safe 500
	}
	if x.res.StatusCode < 400 {
		return
	}
	if mt, _, _ := mime.ParseMediaType(x.res.Header.Get("Content-Type")); mt != "text/html" {
		c.fail(7, "Accept %q (over %d lines) with Negotiate(JSON, HTML) got %q", genAccepts[sc.accept], len(genAccepts[sc.accept]), mt)
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}

func trunc(b []byte) string {
	if len(b) > 400 {
		return string(b[:300]) + fmt.Sprintf("…[%d bytes]…", len(b)) + string(b[len(b)-80:])
	}
	return string(b)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
