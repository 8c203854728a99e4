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
//
// Every behaviour of the design brief (DESIGN.md) is one subtest of Run,
// grouped by the brief's sections: Entry (the path of one error),
// Normalize, Precedence, Handlers, Render, Observe, Registration, Scopes,
// PublicText, Renderers, Hostile and Concurrency. A subtest's name says
// which behaviour it checks. Assertions are made on the wire (status,
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
// The log records the suite reads carry the status of the response in the
// attribute "status"; everything else is read from the text of the record
// (its message and every attribute), so the suite does not pin attribute
// names beyond that one.
package facetest
