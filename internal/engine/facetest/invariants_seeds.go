package facetest

import "fmt"

// genSeed is a named seed of FuzzInvariants.
type genSeed struct {
	name string
	prog []byte
	text string
}

// prog builds a program: set gives the bytes at the gen* positions, err is
// the error grammar's bytes.
func prog(set map[int]byte, err ...byte) []byte {
	p := make([]byte, genErr+len(err))
	for i, b := range set {
		p[i] = b
	}
	copy(p[genErr:], err)
	return p
}

// mwIndex is the program byte of a middleware kind.
func mwIndex(kind string) byte {
	for i, k := range genMWKinds {
		if k == kind {
			return byte(i)
		}
	}
	panic("facetest: no middleware kind " + kind)
}

// uses is the program bytes of an application middleware stack.
func uses(set map[int]byte, kinds ...string) map[int]byte {
	if set == nil {
		set = map[int]byte{}
	}
	set[genNumMW] = byte(len(kinds))
	for i, k := range kinds {
		set[genMW0+i] = mwIndex(k)
	}
	return set
}

// invariantSeeds cover each middleware, error shape, request shape and
// route shape at least once. They pass on both faces.
func invariantSeeds() []genSeed {
	var seeds []genSeed
	add := func(name string, p []byte) { seeds = append(seeds, genSeed{name: name, prog: p, text: "boom"}) }
	for _, k := range genMWKinds {
		add("mw "+k, prog(uses(nil, k)))
	}
	for shape := byte(0); shape < 22; shape++ {
		add(fmt.Sprintf("err shape %d", shape), prog(nil, shape, 0, 0, 0))
	}
	for pre := byte(0); pre < numPre; pre++ {
		add("pre "+preNames[pre], prog(map[int]byte{genPre: pre}))
	}
	for fail := byte(0); fail < numFail; fail++ {
		add("fail "+failNames[fail], prog(uses(map[int]byte{genFail: fail}, "RecoverStack")))
	}
	for i := range genMethods {
		add("method "+genMethods[i], prog(map[int]byte{genMethod: byte(i)}))
	}
	for i := range genPaths {
		add(fmt.Sprintf("path %q", genPaths[i]), prog(map[int]byte{genPath: byte(i), genFlags: genFlagStatic | genFlagRNF}))
	}
	for i := range genAccepts {
		for r := range genRenderers {
			add(fmt.Sprintf("accept %q renderer %s", genAccepts[i], genRenderers[r]), prog(map[int]byte{genAccept: byte(i), genRenderer: byte(r)}))
		}
	}
	for reg := range handlerRegs {
		for act := byte(0); act < numActs; act++ {
			add("handler "+handlerRegs[reg]+" "+actNames[act], prog(map[int]byte{genReg: byte(reg), genAct: act}, 7, 11))
		}
	}
	for bit := 0; bit < 8; bit++ {
		add(fmt.Sprintf("flag %d", bit), prog(map[int]byte{genFlags: 1 << bit, genPath: 1}))
		add(fmt.Sprintf("request bit %d", bit), prog(map[int]byte{genReq: 1 << bit}))
	}
	for g := range genGroupMWKinds {
		add("group mw "+genGroupMWKinds[g], prog(map[int]byte{genGroupMW: byte(g), genPath: 1}))
	}
	add("hang up", prog(map[int]byte{genReq: genReqHangup}))
	add("hang up, ContextTimeout and Wrap", prog(uses(map[int]byte{genReq: genReqHangup}, "Wrap", "ContextTimeout")))
	add("many cookies", prog(map[int]byte{genCookies: 3}))
	add("4 KB text", prog(map[int]byte{genText: 5}))
	add("Deep 2000 chainLinks", prog(nil, 6, 3, 0))
	add("cycles under a join", prog(nil, 2, 4, 5))
	add("echoerr.Error with framing headers", prog(map[int]byte{genRenderer: 1}, 10, 0, 3, 0))
	add("hostile under HTTP error", prog(map[int]byte{genFlags: genFlagDebug}, 8, 9, 21))
	add("stack of middleware", prog(uses(map[int]byte{genFail: failPanic}, "RecoverStack", "Secure", "CORS", "BodyDump", "Gzip")))
	return seeds
}

// regressionSeeds reproduce the defects the generator found (issue 16),
// each fixed since: they keep the fixes. The inputs the fuzzer wrote for
// them are in testdata/fuzz/FuzzFaceInvariants of each face.
func regressionSeeds() []genSeed {
	return []genSeed{
		// (a) quadratic redaction: 3000 cookies and a 1 MB error text.
		{"(a) many cookies, 1 MB text, debug", prog(map[int]byte{genCookies: 3, genText: 7, genReq: genReqSecret, genFlags: genFlagDebug, genRenderer: 2}), "v"},
		// (b) log amplification: a 1,500-deep %w chain.
		{"(b) fmt %w chain 1500 deep", prog(nil, 19, 2, 0), "boom"},
		// (c) a wrapping middleware outside RequestLogger: logged twice.
		{"(c) Wrap outside RequestLogger", prog(uses(nil, "Wrap", "RequestLogger")), "boom"},
		// (d) the route's own context.Canceled under a writer wrapper
		// without Unwrap, and under http.TimeoutHandler.
		{"(d) own Canceled, PlainWriter", prog(uses(nil, "PlainWriter"), 17), "boom"},
		{"(d) own Canceled, TimeoutHandler", prog(map[int]byte{genFlags: genFlagTimeout}, 17), "boom"},
		// (e) an OnError target of a comparable type holding a slice.
		{"(e) OnError(Holder) and a Holder of a slice", prog(map[int]byte{genReg: 5}, 15), "boom"},
		// (f) buffering Gzip with in-chain handling; HEAD there.
		{"(f) Gzip(MinLength) and Echoerr", prog(uses(map[int]byte{genReq: genReqGzip}, "Gzip2048", "Echoerr")), "boom"},
		{"(f) Gzip(MinLength) and Echoerr, HEAD", prog(uses(map[int]byte{genReq: genReqGzip, genMethod: 1}, "Gzip2048", "Echoerr")), "boom"},
		// (h) Echo's Recover's PanicStackError wrapped by an outer
		// middleware, in debug mode.
		{"(h) Wrap outside Recover, debug", prog(uses(map[int]byte{genFail: failPanic, genFlags: genFlagDebug}, "Wrap", "Recover")), "boom"},
		// (i) panic(http.ErrAbortHandler) in a route.
		{"(i) panic(ErrAbortHandler), RecoverStack", prog(uses(map[int]byte{genFail: failAbort}, "RecoverStack")), "boom"},
		{"(i) panic(ErrAbortHandler), Recover", prog(uses(map[int]byte{genFail: failAbort}, "Recover")), "boom"},
		// (d) as it shows on v4 too: ContextTimeout cancels the request's
		// context on its way out, before echoerr runs.
		{"(d) own Canceled, ContextTimeout, PlainWriter", prog(uses(nil, "ContextTimeout", "PlainWriter"), 17), "boom"},
		{"(d) own Canceled, ContextTimeout, TimeoutHandler", prog(uses(map[int]byte{genFlags: genFlagTimeout}, "ContextTimeout"), 17), "boom"},
		// New, invariant 6: an OnError target holding a slice panics New
		// with a runtime error.
		{"OnError target holding a slice", prog(map[int]byte{genReg: 9}, 7, 11), "boom"},
		// New, invariant 1 (v4): a 103, then a handler's own response: 200.
		{"103, then a handler writes its own response", prog(map[int]byte{genPre: preEarlyHints, genReg: 1, genAct: actWrite}), "boom"},
		// New, invariant 1: an error's own Content-Encoding in odd case.
		{"Rich error with odd-case Content-encoding", prog(nil, 12, 0, 2), "boom"},
		// New, invariant 3: a cyclic chain repeated up to the link bound.
		{"cycle in debug mode", prog(map[int]byte{genFlags: genFlagDebug, genReq: genReqSecret}, 4), "boom"},
	}
}
