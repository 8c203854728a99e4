// Package facetest is echoerr's behaviour suite, written once for both
// faces (the Echo v4 binding at the repository root and the Echo v5 binding
// in v5/), in the manner of testing/fstest.TestFS and net/nettest: the
// suite speaks to a small Face interface, and each face implements it in
// its own test files with a thin driver that turns the suite's Echo-free
// descriptions (an App with routes, groups, middleware and echoerr options)
// into a real Echo with echoerr installed.
//
// A face runs the suite and the fuzz target from its tests:
//
//	func TestFace(t *testing.T)       { facetest.Run(t, v4Face{}) }
//	func FuzzFaceEntry(f *testing.F) { facetest.FuzzEntry(f, v4Face{}) }
//	func FuzzFaceInvariants(f *testing.F) { facetest.FuzzInvariants(f, v4Face{}) }
//
// Every behaviour of the design brief (DESIGN.md) is one subtest of Run,
// grouped by the brief's sections: Entry (the path of one error),
// Normalize, Precedence, Handlers, Render, Observe, Registration, Scopes,
// PublicText, Renderers and Concurrency. A case lives in the section of
// the behaviour it checks, whatever the input that checks it (hostile
// text, a deep chain, a writer that fails): its name says the behaviour. Assertions are made on the wire (status,
// headers, body, through httptest or a real server on loopback where the
// network matters), on what was logged (a recording slog.Handler the suite
// owns) and on what was reported (a recording reporter).
//
// The suite imports no Echo package: what is Echo's (its errors, its
// middleware, its router, its default error handler) comes from the Face.
// Options and renderers are opaque values the Face makes and gets back.
//
// Faces differ in a few ways the suite must know (Echo v4's HTTPError
// holds an inner one in Internal, v5's has no such field; v4 has e.Debug
// and the Logger middleware, v5 neither): Face.Capabilities says which, and
// the cases that depend on them run only where they apply. A Face method
// whose echoerr API the face does not have yet returns Missing(api); the
// cases that need it fail, naming the API, rather than being skipped.
//
// Cases whose failure would kill the process (a recursion that overflows
// the stack is beyond any recover) run in a child process: the suite runs
// the test binary again with -test.run set to that subtest and its name in
// the FACETEST_CHILD environment variable, so Run must be called from a
// top-level test of the face's test binary.
//
// FuzzInvariants is a generator of applications, errors and requests
// (generate.go) that checks the design brief's invariants for each
// (invariants.go). A fuzz input, a byte program and a text, decodes
// deterministically into a scenario: a middleware stack (Recover,
// RecoverStack, RequestLogger, BodyDump, CORS, Gzip with and without
// MinLength, Secure, ContextTimeout, a middleware that wraps the error it
// gets back, PlainWriter, echoerr's Middleware, Logger), http.TimeoutHandler
// around the server, static files, the app's own RouteNotFound routes,
// echoerr Group and Host scopes with parameterised and wildcard prefixes, a
// renderer, debug mode, a handler and what it does (pass, return the error
// or a new one, write its own response, call c.Error, panic); a route that
// writes part of its response (headers, WriteHeader, a flushed stream, 204,
// a redirect, 103 Early Hints) and fails (returns, panics, calls c.Error,
// panics with http.ErrAbortHandler); an error from a small grammar (%w
// wrapping, errors.Join, typed nils, cycles, chains up to 2000 deep, texts
// up to 1 MB, Echo's carriers, *echoerr.Error with framing headers in odd
// case, hostile methods, comparable types holding slices, context errors,
// http.ErrAbortHandler); and a request (methods, path encodings, Accept
// over several lines, thousands of cookies, odd header case, a client that
// hangs up). The request goes over a raw TCP connection to a real server on
// loopback and is read as a client reads it. The checks, by invariant:
//
//   - 1 (one final response, whole and framed): the response parses; no
//     byte follows it; Transfer-Encoding, Content-Encoding and
//     Content-Length describe the body (gzip is decoded); HEAD has no
//     body; an error gets a 4xx/5xx (or the 409 a handler wrote), never an
//     empty 200, with one complete document of its Content-Type; after a
//     route committed, the client gets its status and bytes and nothing
//     more; a built-in renderer never fails.
//   - 2 (exactly once): one log record per distinct error, at most one
//     report, a 5xx reported; a client that hung up is not logged as an
//     error, and is logged with status 499 (behind a writer that hides
//     the connection, the documented rule of reference.md applies).
//   - 3 (bounded and linear): a log record stays under the engine's
//     documented bounds (192 KiB beyond the request's path, whatever the
//     error); a body under 64 KiB plus sixteen times the error's texts
//     (public text is sent whole); with thousands of cookies and a long
//     text, the bytes allocated stay linear in the input (no clock: a
//     busy machine would make one flaky).
//   - 4 (nothing leaks): the values of Authorization, Proxy-Authorization
//     and Cookie, quoted in error texts, appear in no body and no record;
//     outside debug mode no internal error text reaches the client; no
//     body, record or report holds more than one goroutine's stack.
//   - 5 (agrees with Echo): when the route returned its error and no
//     handler ran, the client gets the status of the outermost status
//     carrier, as the generator predicts it from the error it built (a
//     carrier past 1000 links, or under v4's HTTPError Internal rule, is
//     not predicted). Routing 404s and 405s are held by the named cases
//     of Run (Scopes, Precedence).
//   - 6 (never panics): no panic reaches net/http, New never panics with a
//     runtime error, the engine records no panic of its own, the server
//     answers a normal request afterwards, and a route's
//     panic(http.ErrAbortHandler) aborts the connection.
//   - 7 (headers as RFC 9110 says): header names are sent in odd case, and
//     an Accept list split over two lines is read whole by Negotiate.
//
// Every input that once broke an invariant is a seed: regressionSeeds in
// invariants_seeds.go, and the fuzzer's own inputs in each face's
// testdata/fuzz/FuzzFaceInvariants. RELIABILITY.md lists what each was.
//
// The log records the suite reads carry the status of the response in the
// attribute "status"; everything else is read from the text of the record
// (its message and every attribute), so the suite does not pin attribute
// names beyond that one.
package facetest
