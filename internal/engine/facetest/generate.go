package facetest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"
)

// The generator of FuzzInvariants: it decodes a fuzz input (a byte
// "program" and a text) into a scenario — an application, an error and a
// request — deterministically, so that every input is valid and a short
// program already explores a lot. Bytes past the end of the program read
// as zero.
//
// The program's layout is fixed, so that seeds can be written by hand (see
// the gen* constants); the error grammar takes the bytes from genErr on.

// Positions of the program's bytes.
const (
	genNumMW    = 0  // number of application middleware (mod 6)
	genMW0      = 1  // genMW0..genMW0+4: the middleware kinds, outermost first
	genRenderer = 6  // the application's renderer (genRenderers)
	genFlags    = 7  // genFlag* bits
	genReg      = 8  // where the handler is registered (handlerRegs)
	genAct      = 9  // what the handler does (act*)
	genGroupMW  = 10 // the Echo group's middleware (genGroupMWKinds)
	genPre      = 11 // what the route writes before it fails (pre*)
	genFail     = 12 // how the route fails (fail*)
	genMethod   = 13 // request method (genMethods)
	genPath     = 14 // request path (genPaths)
	genAccept   = 15 // Accept header lines (genAccepts)
	genCookies  = 16 // number of cookies (genCookieCounts)
	genReq      = 17 // genReq* bits
	genText     = 18 // size of the error texts (genTextSizes)
	genErr      = 19 // the error grammar starts here
)

// Bits of the byte at genFlags.
const (
	genFlagDebug   = 1 << iota // debug mode
	genFlagTimeout             // http.TimeoutHandler(5s) around the server
	genFlagStatic              // App.Static at /s
	genFlagRNF                 // the app's own RouteNotFound routes
	genFlagScopeG              // echoerr Group("/g") with the Problem renderer
	genFlagScopeU              // echoerr Group("/u/:id") with the handler
	genFlagScopeF              // echoerr Group("/f") with the Text renderer
	genFlagHost                // echoerr Host("h.example") with the HTML renderer
)

// Bits of the byte at genReq.
const (
	genReqOddCase = 1 << iota // header names in odd letter case
	genReqHangup              // the client hangs up right after sending
	genReqSecret              // error texts quote the secrets
	genReqGzip                // Accept-Encoding: gzip
	genReqHost                // Host: h.example
	genReqOrigin              // Origin: http://o.example
)

// Middleware kinds of the program, by byte value mod len.
var genMWKinds = [...]string{
	"Recover", "RecoverStack", "RequestLogger", "BodyDump", "CORS", "Gzip", "Gzip2048",
	"Secure", "ContextTimeout", "Wrap", "PlainWriter", "Echoerr", "Logger",
}

// Group middleware kinds (0: none).
var genGroupMWKinds = [...]string{"", "Wrap", "RequestLogger", "Recover", "Gzip2048", "Echoerr"}

// Renderers of the program.
var genRenderers = [...]string{
	"JSON", "Problem", "HTML", "Text", "EchoJSON", "Negotiate(JSON,HTML)",
	"Negotiate(HTML,Problem,Text)", "Negotiate(JSON,Problem,HTML,Text)",
}

// Where the handler is registered.
var handlerRegs = [...]string{
	"none", "OnAny", "OnCode(500)", "OnRange(400,599)", "OnHTTPError", "OnError(Holder)",
	"OnError(ErrSentinel)", "OnType(InvalidAPIUsage)", "OnCode(404)", "OnError(Holder of a slice)",
}

// What the handler does.
const (
	actNil     = iota // returns nil: the canonical error is rendered
	actPass           // returns Pass
	actSame           // returns the error it was given
	actNew            // returns a new error of its own (a 500)
	actWrite          // writes its own response, 409
	actReenter        // calls c.Error(err) and returns nil
	actPanic          // panics
	actAdjust         // returns FromError(err) with Code 418
	numActs
)

var actNames = [numActs]string{"nil", "Pass", "same", "new", "write409", "c.Error", "panic", "adjust418"}

// What the route writes before it fails.
const (
	preNone        = iota
	preHeaders     // sets content headers (not written)
	preWriteHeader // WriteHeader(202)
	preStream      // writes a part of a body and flushes it
	preNoContent   // WriteHeader(204)
	preRedirect    // Location and WriteHeader(302)
	preEarlyHints  // WriteHeader(103) with a Link header
	preOddHeaders  // framing headers in odd letter case (not written)
	numPre
)

var preNames = [numPre]string{"none", "headers", "WriteHeader(202)", "stream+flush", "NoContent", "redirect", "103", "oddFraming"}

// How the route fails.
const (
	failReturn      = iota // returns the error
	failPanic              // panics with it (only with a recovering middleware)
	failCError             // c.Error(err), then returns nil
	failCErrorTwice        // c.Error(err), then returns a second, distinct error
	failAbort              // panic(http.ErrAbortHandler)
	failWrapped            // returns it wrapped by the route
	numFail
)

var failNames = [numFail]string{"return", "panic", "c.Error", "c.Error+second", "panic(ErrAbortHandler)", "return wrapped"}

// Request methods.
var genMethods = [...]string{"GET", "HEAD", "POST", "OPTIONS", "DELETE", "BREW", "PROPFIND", "PUT"}

// Request paths: routes, encodings, routing misses.
var genPaths = [...]string{
	"/x", "/g/x", "/u/42", "/u/%2F", "/u/caf%C3%A9", "/f/a/b", "/f/%2e%2e/x", "/g/u/7",
	"/nope", "/g/nope", "/s/missing.txt", "/s/%2e%2e/etc", "/x?q=%00", "/u/\xc3\xa9t\xc3\xa9",
	"/f/" + strings.Repeat("long", 1000), "/G/X",
}

// Accept header lines: a list split over several lines is one list.
var genAccepts = [...][]string{
	nil,
	{"application/json"},
	{"text/html"},
	{"text/html,application/xhtml+xml", "application/xml;q=0.9,*/*;q=0.8"}, // a browser's, in two lines
	{"*/*;q=0.8", "text/html"}, // the second line decides
	{"*/*"},
	{strings.Repeat("a/b;q=0.1, ", 2000) + "text/plain"},
	{"text/plain"},
}

// acceptWantsHTML: with Negotiate(JSON, HTML), the whole list asks for HTML
// (while its first or last line alone might not).
var acceptWantsHTML = [len(genAccepts)]bool{3: true, 4: true}

var genCookieCounts = [...]int{1, 20, 500, 5000}

// Error text sizes; the typical case is small.
var genTextSizes = [...]int{0, 0, 0, 0, 0, 4 << 10, 100 << 10, 1 << 20}

// Status codes of generated status carriers: errors (4xx, 5xx) and codes
// outside 100–999. 1xx, 2xx and 3xx carriers are left out: the brief does
// not say what an error of status 302 is answered with.
var genCodes = [...]int{400, 401, 404, 405, 409, 418, 422, 429, 499, 500, 502, 503, 504, 599, 0, 1000}

// program reads a fuzz program; past its end it reads zeros.
type program struct {
	b []byte
	i int
}

func (p *program) at(i int) byte {
	if i < len(p.b) {
		return p.b[i]
	}
	return 0
}

func (p *program) next() byte {
	b := p.at(p.i)
	p.i++
	return b
}

// Secrets sent in the request's secret headers. The cookies' values are
// distinct; only the session's is searched for.
const (
	genSecretAuth  = "au-SECRET-91f3"
	genSecretProxy = "px-SECRET-77c0"
	genSecretCook  = "ck-SECRET-5d2a"
)

// genPrivate marks the text of errors without a public description: outside
// debug mode it never reaches the client.
const genPrivate = "PRIVATE-7a1e"

// scenario is one decoded fuzz input.
type scenario struct {
	mws       []string
	renderer  int
	flags     byte
	reg       int
	act       int
	groupMW   int
	pre       int
	fail      int
	method    string
	path      string
	accept    int
	cookies   int
	req       byte
	textSize  int
	text      string
	errDesc   string
	err       error
	errFacts  errFacts
	recovers  bool // a recovering middleware is on the route's way
	debug     bool
	hangup    bool
	negotiate bool // the application renderer is Negotiate(JSON, HTML)
	gzip      bool // the application has a Gzip middleware
	status    int  // the status the error carries (see errGen.statusOf), or stUnknown
}

// errFacts are what the generator knows of the error it built, so that the
// checks never have to walk a chain (a cycle would hang errors.Is).
type errFacts struct {
	abort    bool // holds http.ErrAbortHandler
	canceled bool // holds context.Canceled
	deadline bool // holds context.DeadlineExceeded
	// cycle: the chain is cyclic (errors.Is on it never returns).
	cycle bool
	// userPanics: a method of the error panics (typed nil, panicky,
	// Hostile), so a recovered panic is the user's, not the engine's.
	userPanics bool
	textLen    int // about how long its texts are, summed
}

// hidesConnection reports whether the application puts something between
// echoerr and net/http's connection that hides whether the client left: a
// writer wrapper without Unwrap, or http.TimeoutHandler.
func (sc *scenario) hidesConnection() bool {
	return sc.flags&genFlagTimeout != 0 || slices.Contains(sc.mws, "PlainWriter")
}

func (sc *scenario) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "app: use=%v renderer=%s debug=%v timeoutHandler=%v static=%v rnf=%v scopes[g=%v u=%v f=%v host=%v] handler=%s/%s groupMW=%q\n",
		sc.mws, genRenderers[sc.renderer], sc.debug, sc.flags&genFlagTimeout != 0, sc.flags&genFlagStatic != 0, sc.flags&genFlagRNF != 0,
		sc.flags&genFlagScopeG != 0, sc.flags&genFlagScopeU != 0, sc.flags&genFlagScopeF != 0, sc.flags&genFlagHost != 0,
		handlerRegs[sc.reg], actNames[sc.act], genGroupMWKinds[sc.groupMW])
	fmt.Fprintf(&b, "route: pre=%s fail=%s err=%s (text %d bytes)\n", preNames[sc.pre], failNames[sc.fail], sc.errDesc, sc.textSize)
	fmt.Fprintf(&b, "request: %s %.80q accept=%q cookies=%d oddCase=%v hangup=%v secretInText=%v gzip=%v host=%v origin=%v",
		sc.method, sc.path, genAccepts[sc.accept], genCookieCounts[sc.cookies], sc.req&genReqOddCase != 0, sc.hangup,
		sc.req&genReqSecret != 0, sc.req&genReqGzip != 0, sc.req&genReqHost != 0, sc.req&genReqOrigin != 0)
	return b.String()
}

// decode turns a fuzz input into a scenario.
func (s *suite) decode(prog []byte, text string) *scenario {
	p := &program{b: prog}
	sc := &scenario{}
	n := int(p.at(genNumMW)) % 6
	for i := 0; i < n; i++ {
		k := genMWKinds[int(p.at(genMW0+i))%len(genMWKinds)]
		if k == "Logger" && !s.caps.AccessLogMiddleware {
			k = "Secure"
		}
		if strings.HasPrefix(k, "Gzip") {
			if sc.gzip {
				// Echo compresses twice under two Gzip middleware, its own
				// responses too (one Content-Encoding): Echo's, not echoerr's.
				k = "Secure"
			}
			sc.gzip = true
		}
		if k == "Recover" || k == "RecoverStack" {
			sc.recovers = true
		}
		sc.mws = append(sc.mws, k)
	}
	sc.renderer = int(p.at(genRenderer)) % len(genRenderers)
	sc.negotiate = sc.renderer == 5
	sc.flags = p.at(genFlags)
	sc.debug = sc.flags&genFlagDebug != 0
	sc.reg = int(p.at(genReg)) % len(handlerRegs)
	sc.act = int(p.at(genAct)) % numActs
	sc.groupMW = int(p.at(genGroupMW)) % len(genGroupMWKinds)
	if sc.gzip && strings.HasPrefix(genGroupMWKinds[sc.groupMW], "Gzip") {
		sc.groupMW = 0 // two Gzip middleware: see above
	}
	sc.pre = int(p.at(genPre)) % numPre
	sc.fail = int(p.at(genFail)) % numFail
	sc.method = genMethods[int(p.at(genMethod))%len(genMethods)]
	sc.path = genPaths[int(p.at(genPath))%len(genPaths)]
	sc.accept = int(p.at(genAccept)) % len(genAccepts)
	sc.cookies = int(p.at(genCookies)) % len(genCookieCounts)
	sc.req = p.at(genReq)
	sc.hangup = sc.req&genReqHangup != 0
	sc.textSize = genTextSizes[int(p.at(genText))%len(genTextSizes)]
	if sc.fail == failPanic && !sc.recovers {
		// Without a recovering middleware a route's panic is the
		// application's to net/http, not an error echoerr sees.
		sc.fail = failReturn
	}
	if sc.pre == preEarlyHints && sc.flags&genFlagTimeout != 0 {
		// net/http's TimeoutHandler takes a 103 for the final status (its
		// writer knows no 1xx): net/http's limit, not echoerr's.
		sc.pre = preNone
	}
	if sc.hangup {
		// A client that hangs up: the route waits for the request's context
		// and returns its error; only the log invariants apply. Handlers
		// that make an error of their own would make it a server failure.
		sc.pre, sc.fail = preNone, failReturn
		if sc.act != actPass && sc.act != actNil {
			sc.act = actSame
		}
	}
	// Texts: the fuzz text, without the markers the checks look for.
	for _, m := range []string{genPrivate, genSecretAuth, genSecretProxy, genSecretCook, "goroutine "} {
		text = strings.ReplaceAll(text, m, "")
	}
	if len(text) > 200 {
		text = text[:200]
	}
	if sc.textSize > 0 {
		// The filler is the fuzz text repeated, so that the fuzzer chooses
		// what a long text is made of (a cookie value's first letter, say).
		fill := text
		if len(fill) > 16 {
			fill = fill[:16]
		}
		if fill == "" {
			fill = "x"
		}
		text += strings.Repeat(fill, sc.textSize/len(fill))
	}
	sc.text = text
	p.i = genErr
	g := &errGen{s: s, p: p, sc: sc}
	sc.err = g.gen(0)
	sc.status = g.statusOf()
	sc.errDesc = g.desc.String()
	sc.errFacts = g.facts
	if sc.errFacts.cycle || sc.errFacts.userPanics {
		// Echo's middleware that walk the route's error with errors.Is or
		// errors.As never return for a cyclic chain, and let a panicking
		// method (StatusCode, Is, Unwrap) escape to net/http:
		// ContextTimeout (both Echos) and Echo v5's RequestLogger
		// (echo.ResolveResponseStatus). Echo's to fix, not echoerr's.
		for i, k := range sc.mws {
			if walksChains(k) {
				sc.mws[i] = "Secure"
			}
		}
		if walksChains(genGroupMWKinds[sc.groupMW]) {
			sc.groupMW = 0
		}
	}
	return sc
}

// walksChains reports whether Echo's middleware of kind k walks the route's
// error with errors.Is or errors.As (on at least one of the Echos).
func walksChains(k string) bool { return k == "ContextTimeout" || k == "RequestLogger" }

// errGen builds an error from the program's grammar.
type errGen struct {
	s     *suite
	p     *program
	sc    *scenario
	desc  strings.Builder
	facts errFacts
	nodes int
	st    int // see gen
	links int
	size  int // how many links the error gen built has, as the engine walks them
}

// private is an internal text: never shown outside debug mode.
func (g *errGen) private(what string) string {
	t := genPrivate + " " + what + " " + g.sc.text
	if g.sc.req&genReqSecret != 0 {
		t += " Bearer " + genSecretAuth + " cookie session=" + genSecretCook + " proxy " + genSecretProxy
	}
	g.facts.textLen += len(t)
	return t
}

// public is a public description.
func (g *errGen) public(what string) string {
	t := "public " + what + " " + g.sc.text
	if g.sc.req&genReqSecret != 0 {
		t += " token " + genSecretAuth
	}
	g.facts.textLen += len(t)
	return t
}

func (g *errGen) code() int { return genCodes[int(g.p.next())%len(genCodes)] }

func (g *errGen) depth() int { return [...]int{3, 100, 1500, 2000}[g.p.next()%4] }

// framing returns error headers that describe a body the error's response
// will not have, in odd letter case.
func (g *errGen) framing() http.Header {
	switch g.p.next() % 4 {
	case 0:
		return nil
	case 1:
		return http.Header{"content-length": {"3"}, "X-Err": {"1"}}
	case 2:
		return http.Header{"TRANSFER-ENCODING": {"chunked"}, "Content-encoding": {"gzip"}}
	}
	return http.Header{"Content-Length": {"100000"}, "content-ENCODING": {"br"}, "Retry-After": {"1"}}
}

// leaves are the shapes allowed below depth 3.
var leaves = [...]byte{0, 3, 4, 5, 7, 9, 11, 13, 15, 16, 17, 18, 21}

// gen builds one error; the grammar is in the switch. It leaves in g.st
// the status the error's outermost status carrier gives, as invariant 5
// reads the brief (see statusOf), and in g.links how many links down that
// carrier is.
func (g *errGen) gen(depth int) error {
	g.nodes++
	shape := g.p.next() % 22
	if depth >= 3 || g.nodes > 12 {
		shape = leaves[int(shape)%len(leaves)]
	}
	f := g.s.f
	d := &g.desc
	g.st, g.links, g.size = stNone, 0, 1
	switch shape {
	case 1:
		d.WriteString("fmt(")
		e := fmt.Errorf("op: %w", g.gen(depth+1))
		d.WriteString(")")
		g.links++
		g.size++
		return e
	case 2:
		d.WriteString("join(")
		a := g.gen(depth + 1)
		sa, la, za := g.st, g.links, g.size
		d.WriteString(",")
		b := g.gen(depth + 1)
		d.WriteString(")")
		g.st, g.links = joinStatus(sa, la, za, g.st, g.links)
		g.size += 1 + za
		return errors.Join(a, b)
	case 3:
		d.WriteString("typednil")
		g.facts.userPanics = true
		g.st = stUnknown
		return TypedNil()
	case 4:
		d.WriteString("cycle")
		g.facts.cycle = true
		g.st = stUnknown
		return &Cycle{Msg: g.private("cycle")}
	case 5:
		d.WriteString("twocycle")
		g.facts.cycle = true
		g.st = stUnknown
		return TwoCycle()
	case 6:
		n := g.depth()
		fmt.Fprintf(d, "deep%d(", n)
		e := Deep(n, g.gen(depth+1))
		d.WriteString(")")
		g.links += n
		g.size += n
		return e
	case 7:
		c := g.code()
		fmt.Fprintf(d, "httperror%d", c)
		g.st = carried(c)
		return f.HTTPError(c, g.public("httperror"))
	case 8:
		c := g.code()
		fmt.Fprintf(d, "wraphttperror%d(", c)
		e := f.WrapHTTPError(c, g.public("wrapped"), g.gen(depth+1))
		d.WriteString(")")
		g.st, g.links = carried(c), 0
		g.size++
		if g.s.caps.InnerHTTPErrorWins {
			g.st = stUnknown // an HTTP error inside may win (v4's Internal)
		}
		return e
	case 9:
		d.WriteString("notfound")
		g.st = http.StatusNotFound
		return f.NotFound()
	case 10:
		c := g.code()
		h := g.framing()
		fmt.Fprintf(d, "echoerr.Error%d%v(", c, h)
		e := f.NewError(Canonical{Code: c, Description: g.public("canonical"), Header: h, Err: g.gen(depth + 1)})
		d.WriteString(")")
		g.st, g.links = carried(c), 0
		g.size++
		return e
	case 11:
		c := g.code()
		fmt.Fprintf(d, "coded%d", c)
		g.st = carried(c)
		return &Coded{Code: c, Msg: g.private("coded")}
	case 12:
		c := g.code()
		h := g.framing()
		fmt.Fprintf(d, "rich%d%v", c, h)
		g.st = carried(c)
		return &Rich{Code: c, Desc: g.public("rich"), Ext: map[string]any{"code": "shadow", "TITLE": "shadow", "n": 1}, Head: h, Msg: g.private("rich")}
	case 13:
		d.WriteString("panicky")
		g.facts.userPanics = true
		g.st = stUnknown
		return panicky{}
	case 14:
		c := g.code()
		fmt.Fprintf(d, "invalidapiusage%d", c)
		g.st = carried((&InvalidAPIUsage{Code: c}).StatusCode()) // 0 means 400, as in Flask
		return &InvalidAPIUsage{Message: g.public("usage"), Code: c, Payload: map[string]any{"extra": 1, "Description": "shadow"}}
	case 15:
		d.WriteString("holder([]string)")
		return Holder{V: []string{g.private("holder")}}
	case 16:
		d.WriteString("ErrAbortHandler")
		g.facts.abort = true
		g.st = stUnknown
		return http.ErrAbortHandler
	case 17:
		d.WriteString("canceled")
		g.facts.canceled = true
		g.st = stUnknown
		return fmt.Errorf("%s: %w", g.private("sub"), context.Canceled)
	case 18:
		d.WriteString("deadline")
		g.st = stDeadline
		g.facts.deadline = true
		return fmt.Errorf("%s: %w", g.private("deadline"), context.DeadlineExceeded)
	case 19:
		return g.fmtDeep(depth)
	case 20:
		return g.misc(depth)
	case 21:
		d.WriteString("hostile")
		g.facts.userPanics = true
		g.st = stUnknown
		return &Hostile{Msg: g.private("hostile")}
	}
	d.WriteString("plain")
	return errors.New(g.private("plain"))
}

// fmtDeep is n links of fmt's %w wrapping over a generated error.
func (g *errGen) fmtDeep(depth int) error {
	d := &g.desc
	n := g.depth()
	before := d.String()
	e := g.gen(depth + 1)
	inner := d.String()[len(before):]
	d.Reset()
	d.WriteString(before)
	// Each link copies the text below it: keep the generator's own
	// work (n times the text) under 16 MB.
	if lim := (16 << 20) / (g.facts.textLen + 3*n + 1); n > lim {
		n = lim
	}
	g.facts.textLen += 3 * n
	fmt.Fprintf(d, "fmtdeep%d(%s", n, inner)
	for i := 0; i < n; i++ {
		e = fmt.Errorf("w: %w", e)
	}
	d.WriteString(")")
	g.links += n
	g.size += n
	return e
}

// misc is one of the suite's other errors.
func (g *errGen) misc(depth int) error {
	d := &g.desc
	switch g.p.next() % 6 {
	case 0:
		d.WriteString("sentinel")
		return ErrSentinel
	case 1:
		d.WriteString("temp")
		return ErrTemp
	case 2:
		d.WriteString("list")
		return ListError{Items: []string{g.private("list")}}
	case 3:
		d.WriteString("validation")
		return &ValidationError{Field: g.private("field")}
	case 4:
		d.WriteString("joincycle")
		g.facts.cycle = true
		g.st = stUnknown
		return JoinCycle()
	}
	d.WriteString("wide100(")
	e := Wide(100, g.gen(depth+1))
	d.WriteString(")")
	g.links += 100
	g.size += 100
	return e
}

// What gen knows of an error's status: a status carrier's code, or one of
// these.
const (
	stNone     = 0  // no status carrier: the engine derives 500
	stUnknown  = -1 // not predicted here (typed nils, cycles, panicking methods, context errors, ...)
	stDeadline = -2 // no status carrier, context.DeadlineExceeded in the chain: the engine derives 503
)

// carried is the status a carrier of code gives: the code, or 500 for one
// outside 200–999 (the brief: a server bug).
func carried(code int) int {
	if code < 200 || code > 999 {
		return http.StatusInternalServerError
	}
	return code
}

// joinStatus is the status of errors.Join(a, b), and how many links down
// its carrier is, walked as errors.As walks it: the join, a's whole chain
// (za links), then b's.
// A carrier anywhere wins over a status derived from no carrier (the 503
// of context.DeadlineExceeded), as the brief orders them.
func joinStatus(sa, la, za, sb, lb int) (int, int) {
	switch {
	case sa == stUnknown || sa <= stNone && sb == stUnknown:
		return stUnknown, 0
	case sa > stNone:
		return sa, la + 1
	case sb > stNone || sb == stDeadline:
		return sb, 1 + za + lb
	}
	return sa, la + 1 // stNone, or a's deadline
}

// statusOf is the status the scenario's error should answer with, or
// stUnknown: invariant 5, a status carrier anywhere in the chain gives its
// status, as Echo's own handler does; a carrier past the engine's
// documented walk (1024 links) is not predicted.
func (g *errGen) statusOf() int {
	switch {
	case g.st == stUnknown || g.links >= 1000:
		return stUnknown
	case g.st == stNone:
		return http.StatusInternalServerError
	case g.st == stDeadline:
		return http.StatusServiceUnavailable
	}
	return g.st
}

// genState is what the routes and handlers of one scenario record.
type genState struct {
	ran        atomic.Bool // the route ran
	handlerRan atomic.Bool
	handWrote  atomic.Bool // a handler wrote its own response
	sawDone    atomic.Bool // the route saw the request's context done
	mu         sync.Mutex
	committed  int    // the status the route committed, 0 if none
	wrote      []byte // what the route wrote to the body
}

// genFS is the static file system.
var genFS = fstest.MapFS{
	"a.txt":      {Data: []byte("hello")},
	"dir/b.html": {Data: []byte("<p>b</p>")},
}

// app builds the scenario's application, with log and reports going to
// the recorders.
func (s *suite) genApp(sc *scenario, st *genState, log *LogRecorder, rep *ReportRecorder) App {
	f := s.f
	wrap := func(next Route) Route {
		return func(c Ctx) error {
			if err := next(c); err != nil {
				return fmt.Errorf("mw: %w", err)
			}
			return nil
		}
	}
	mw := func(kind string) Middleware {
		switch kind {
		case "Gzip2048":
			return Middleware{Kind: KindGzip, MinLength: 2048}
		case "ContextTimeout":
			return Middleware{Kind: KindContextTimeout, Timeout: 5 * time.Second}
		case "Wrap":
			return Func(wrap)
		case "CORS":
			return Middleware{Kind: KindCORS, Origin: "http://o.example"}
		}
		return Use(MiddlewareKind(kind))
	}
	var use []Middleware
	for _, k := range sc.mws {
		use = append(use, mw(k))
	}
	var handler Handler = func(c Ctx, err error) error {
		st.handlerRan.Store(true)
		switch sc.act {
		case actPass:
			return f.Pass()
		case actSame:
			return err
		case actNew:
			return errors.New(genPrivate + " handler failed")
		case actWrite:
			st.handWrote.Store(true)
			return c.JSON(http.StatusConflict, map[string]any{"handled": true})
		case actReenter:
			c.Error(err)
			return nil
		case actPanic:
			panic(genPrivate + " handler panicked")
		case actAdjust:
			fe := f.FromError(err)
			fe.Code = http.StatusTeapot
			return f.NewError(fe)
		}
		return nil
	}
	var reg []Option
	switch sc.reg {
	case 1:
		reg = append(reg, f.OnAny(handler))
	case 2:
		reg = append(reg, f.OnCode(500, handler))
	case 3:
		reg = append(reg, f.OnRange(400, 599, handler))
	case 4:
		reg = append(reg, f.OnHTTPError(handler))
	case 5:
		reg = append(reg, f.OnError(HolderTarget, handler))
	case 6:
		reg = append(reg, f.OnError(ErrSentinel, handler))
	case 7:
		reg = append(reg, f.OnType(TypeInvalidAPIUsage, handler))
	case 8:
		reg = append(reg, f.OnCode(404, handler))
	case 9:
		reg = append(reg, f.OnError(HolderSliceTarget, handler))
	}
	renderers := map[string]func() Renderer{
		"JSON": f.JSON, "Problem": f.Problem, "HTML": func() Renderer { return f.HTML(nil) }, "Text": f.Text, "EchoJSON": f.EchoJSON,
	}
	var r Renderer
	name := genRenderers[sc.renderer]
	if strings.HasPrefix(name, "Negotiate(") {
		var rs []Renderer
		for _, n := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(name, "Negotiate("), ")"), ",") {
			rs = append(rs, renderers[n]())
		}
		r = f.Negotiate(rs...)
	} else {
		r = renderers[name]()
	}
	opts := []Option{f.WithLogger(log.Logger()), f.WithReporter(rep.Report), f.WithRenderer(r), f.WithDebug(sc.debug)}
	opts = append(opts, reg...)
	if sc.flags&genFlagScopeG != 0 {
		opts = append(opts, f.Group("/g", f.WithRenderer(f.Problem())))
	}
	if sc.flags&genFlagScopeU != 0 {
		opts = append(opts, f.Group("/u/:id", append([]Option{f.OnCode(http.StatusTeapot, handler)}, reg...)...))
	}
	if sc.flags&genFlagScopeF != 0 {
		opts = append(opts, f.Group("/f", f.WithRenderer(f.Text())))
	}
	if sc.flags&genFlagHost != 0 {
		opts = append(opts, f.Host("h.example", f.WithRenderer(f.HTML(nil))))
	}

	route := func(c Ctx) error {
		st.ran.Store(true)
		if sc.hangup {
			ctx := c.Request().Context()
			select {
			case <-ctx.Done():
				st.sawDone.Store(true)
				return fmt.Errorf("query: %w", ctx.Err())
			case <-time.After(150 * time.Millisecond):
				return fmt.Errorf("query: %w", context.Canceled)
			}
		}
		commit := func(code int, body []byte) {
			st.mu.Lock()
			defer st.mu.Unlock()
			if st.committed == 0 {
				st.committed = code
			}
			st.wrote = append(st.wrote, body...)
		}
		switch sc.pre {
		case preHeaders:
			c.Header().Set("Content-Type", "application/octet-stream")
			c.Header().Set("Content-Length", "3")
			c.Header().Set("Content-Encoding", "gzip")
			c.Header().Set("ETag", `"v1"`)
		case preOddHeaders:
			c.Header()["content-length"] = []string{"5"}
			c.Header()["transfer-ENCODING"] = []string{"chunked"}
			c.Header()["CONTENT-ENCODING"] = []string{"br"}
		case preWriteHeader:
			commit(http.StatusAccepted, nil)
			c.WriteHeader(http.StatusAccepted)
		case preStream:
			part := []byte("partial body, then a failure\n")
			commit(http.StatusOK, part)
			c.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = c.Write(part)
			if fl, ok := c.(Flusher); ok {
				_ = fl.Flush()
			}
		case preNoContent:
			commit(http.StatusNoContent, nil)
			c.WriteHeader(http.StatusNoContent)
		case preRedirect:
			commit(http.StatusFound, nil)
			c.Header().Set("Location", "/elsewhere")
			c.WriteHeader(http.StatusFound)
		case preEarlyHints:
			c.Header().Set("Link", "</style.css>; rel=preload; as=style")
			c.WriteHeader(http.StatusEarlyHints)
		}
		err := sc.err
		switch sc.fail {
		case failPanic:
			panic(err)
		case failCError:
			c.Error(err)
			return nil
		case failCErrorTwice:
			c.Error(err)
			return errors.New(genPrivate + " second failure")
		case failAbort:
			panic(http.ErrAbortHandler)
		case failWrapped:
			return fmt.Errorf("route: %w", err)
		}
		return err
	}
	routes := []Endpoint{
		Handle("*", "/x", route),
		Handle("*", "/u/:id", route),
		Handle("*", "/f/*", route),
		GET("/ok", func(c Ctx) error { return c.String(http.StatusOK, "ok") }),
	}
	notFound := func(Ctx) error { return f.NotFound() }
	if sc.flags&genFlagRNF != 0 {
		routes = append(routes, Endpoint{Method: MethodRouteNotFound, Path: "/*", Handler: notFound})
	}
	group := RouteGroup{Prefix: "/g", Routes: []Endpoint{Handle("*", "/x", route), GET("/u/:id", route)}}
	if k := genGroupMWKinds[sc.groupMW]; k != "" {
		group.Use = []Middleware{mw(k)}
	}
	if sc.flags&genFlagRNF != 0 {
		group.Routes = append(group.Routes, Endpoint{Method: MethodRouteNotFound, Path: "/*", Handler: notFound})
	}
	app := App{Options: opts, Use: use, Routes: routes, Groups: []RouteGroup{group}, Debug: sc.debug}
	if sc.flags&genFlagStatic != 0 {
		app.Static = []StaticFiles{{Prefix: "/s", FS: genFS}}
	}
	return app
}

// distinctErrors is how many distinct errors the scenario's request has,
// when the route ran.
func (sc *scenario) distinctErrors() int {
	if sc.fail == failCErrorTwice && !sc.errFacts.abort {
		// c.Error with an error holding http.ErrAbortHandler panics again
		// (the abort, for net/http): the route never raises its second
		// error, unless the abort lies past the engine's 1024-link walk
		// (see checkLog).
		return 2
	}
	return 1
}
