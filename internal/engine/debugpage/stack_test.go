package debugpage

import (
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/echoerr/echoerr/httperr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirstGoroutineKeepsTheFailingGoroutineOnly(t *testing.T) {
	const first = "goroutine 7 [running]:\nmain.handler()\n\t/app/main.go:12 +0x1d\n" +
		"created by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4"
	tests := []struct{ name, in, want string }{
		{"one goroutine", first + "\n", first},
		{"every goroutine, as runtime.Stack(buf, true)", first + "\n\ngoroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:30 +0x2a\n\n" +
			"goroutine 9 [IO wait]:\ninternal/poll.runtime_pollWait()\n", first},
		{"Echo v5 PanicStackError text", "[PANIC RECOVER] boom " + first + "\n\ngoroutine 1 [select]:\nmain.main()\n", first},
		{"GOTRACEBACK=system header", "goroutine 1 gp=0xc000002380 m=0 mp=0x5b6b40 [running]:\nmain.main()\n\t/app/main.go:3 +0x1\n\ngoroutine 2 gp=0xc000002a80 m=nil [force gc (idle)]:\n",
			"goroutine 1 gp=0xc000002380 m=0 mp=0x5b6b40 [running]:\nmain.main()\n\t/app/main.go:3 +0x1"},
		{"no header: a pkg/errors trace stays whole", "\nmain.load\n\t/src/app/main.go:1\nmain.handler\n\t/src/app/main.go:9", "\nmain.load\n\t/src/app/main.go:1\nmain.handler\n\t/src/app/main.go:9"},
		{"a header must begin a line after the first", first + " goroutine 2 [select]:", first + " goroutine 2 [select]:"},
		{"not a header: no id", "goroutine [running]:\nx", "goroutine [running]:\nx"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, FirstGoroutine(tc.in))
		})
	}
}

// A text holding a dump of several goroutines keeps the first, whatever
// surrounds it; one goroutine, or none, is left whole.
func TestOneGoroutineKeepsTheFirstOfADump(t *testing.T) {
	one := "outer: boom goroutine 7 [running]:\nmain.f()\n\t/app/main.go:3\n"
	assert.Equal(t, one, OneGoroutine(one))
	assert.Equal(t, "no stack", OneGoroutine("no stack"))
	assert.Equal(t, one+"\n"+otherGoroutines, OneGoroutine(one+"\ngoroutine 1 [chan receive]:\nmain.main()\n"))
}

// stackHere returns debug.Stack() as called from a function of its own.
func stackHere() string { return string(debug.Stack()) }

func TestParseStackReadsARealDebugStack(t *testing.T) {
	trace := stackHere()
	frames := parseStack(trace, modulesNaming(nil))
	require.GreaterOrEqual(t, len(frames), 4, trace)

	assert.Equal(t, "runtime/debug.Stack", frames[0].Function)
	assert.True(t, strings.HasSuffix(frames[0].File, "runtime/debug/stack.go"), frames[0].File)
	assert.Positive(t, frames[0].Line)
	assert.False(t, frames[0].App, "the runtime is a library")

	assert.Equal(t, "github.com/echoerr/echoerr/internal/engine/debugpage.stackHere", frames[1].Function)
	assert.True(t, strings.HasSuffix(frames[1].File, "/stack_test.go"), frames[1].File)
	assert.False(t, frames[1].App, "echoerr itself is a library")
	assert.Equal(t, "github.com/echoerr/echoerr/internal/engine/debugpage.TestParseStackReadsARealDebugStack", frames[2].Function)

	last := frames[len(frames)-1]
	assert.True(t, last.CreatedBy, "the trace ends with where the goroutine was created")
	assert.Equal(t, "testing.(*T).Run", last.Function)
	for _, f := range frames {
		assert.NotContains(t, f.Function, "(0x", "arguments are stripped")
		assert.NotContains(t, f.File, " +0x", "pc offsets are stripped")
	}
}

// TestParseStackReadsEchoV5PanicText: Echo v5's middleware.PanicStackError
// prints "[PANIC RECOVER] message stack", and its stack is every goroutine
// unless DisableStackAll is set.
func TestParseStackReadsEchoV5PanicText(t *testing.T) {
	trace := stackHere()
	v5 := fmt.Sprintf("[PANIC RECOVER] %s %s", "inventory: order book not loaded", trace) +
		"\ngoroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:30 +0x2a\n"
	assert.Equal(t, parseStack(trace, modulesNaming(nil)), parseStack(v5, modulesNaming(nil)))
	assert.NotEmpty(t, parseStack(v5, modulesNaming(nil)))
}

func TestParseStackReadsEveryTraceFormat(t *testing.T) {
	tests := []struct {
		name, trace string
		want        []httperr.DebugFrame
	}{
		{"arguments, methods, generics, elided frames and created by",
			"goroutine 12 [running]:\n" +
				"main.(*Server).handle(0xc000010000, {0x4a1b20?, 0x4e2a48?})\n\t/app/server.go:42 +0x1d\n" +
				"main.Map[...](...)\n\t/app/generic.go:7\n" +
				"panic({0x4a1b20?, 0x4e2a48?})\n\t/usr/local/go/src/runtime/panic.go:785 +0x132\n" +
				"...additional frames elided...\n" +
				"net/http.HandlerFunc.ServeHTTP(0x0?, {0x7f8, 0xc0001}, 0x0?)\n\t/usr/local/go/src/net/http/server.go:2220 +0x29\n" +
				"created by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4\n",
			[]httperr.DebugFrame{
				{Function: "main.(*Server).handle", File: "/app/server.go", Line: 42, App: true},
				{Function: "main.Map[...]", File: "/app/generic.go", Line: 7, App: true},
				{Function: "panic", File: "/usr/local/go/src/runtime/panic.go", Line: 785},
				{Function: "net/http.HandlerFunc.ServeHTTP", File: "/usr/local/go/src/net/http/server.go", Line: 2220},
				{Function: "net/http.(*Server).Serve", File: "/usr/local/go/src/net/http/server.go", Line: 3285, CreatedBy: true},
			}},
		{"a github.com/pkg/errors trace, no header, no arguments",
			"\nmain.load\n\t/src/app/main.go:1\nmain.handler\n\t/src/app/main.go:9",
			[]httperr.DebugFrame{
				{Function: "main.load", File: "/src/app/main.go", Line: 1, App: true},
				{Function: "main.handler", File: "/src/app/main.go", Line: 9, App: true},
			}},
		{"CRLF line ends, GOTRACEBACK=system fields, a Windows path with spaces",
			"goroutine 1 gp=0xc000002380 m=0 mp=0x5b6b40 [running]:\r\nmain.main()\r\n\tC:/Users/Ann Lee/app/main.go:5 +0x1d fp=0xc00006bf50 sp=0xc00006bf40 pc=0x45a7dd\r\n",
			[]httperr.DebugFrame{{Function: "main.main", File: "C:/Users/Ann Lee/app/main.go", Line: 5, App: true}}},
		{"only the first goroutine",
			"goroutine 3 [running]:\nmain.a()\n\t/app/a.go:1 +0x1\n\ngoroutine 1 [select]:\nmain.b()\n\t/app/b.go:2 +0x2\n",
			[]httperr.DebugFrame{{Function: "main.a", File: "/app/a.go", Line: 1, App: true}}},
		{"a module from the module cache and Echo",
			"goroutine 3 [running]:\n" +
				"github.com/acme/lib.Do()\n\t/home/u/go/pkg/mod/github.com/acme/lib@v1.2.3/do.go:10 +0x1\n" +
				"github.com/labstack/echo/v4.(*Echo).ServeHTTP(0x1)\n\t/home/u/src/echo/echo.go:698 +0x323\n",
			[]httperr.DebugFrame{
				{Function: "github.com/acme/lib.Do", File: "/home/u/go/pkg/mod/github.com/acme/lib@v1.2.3/do.go", Line: 10},
				{Function: "github.com/labstack/echo/v4.(*Echo).ServeHTTP", File: "/home/u/src/echo/echo.go", Line: 698},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := parseStack(tc.trace, modulesNaming(nil))
			for i := range got {
				got[i].Package = "" // TestFramePackageNamesLibrariesFromTheirFiles' business
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseStackGarbageGivesNoFrames(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rnd.UintN(256))
	}
	for name, trace := range map[string]string{
		"empty":                        "",
		"a sentence":                   "connection refused",
		"a header only":                "goroutine 1 [running]:",
		"locations without a function": "\t/app/main.go:1 +0x1\n\t/app/main.go:2\n",
		"functions without a location": "main.a()\nmain.b()\n",
		"no line number":               "main.a()\n\t/app/main.go +0x1\n",
		"bad line number":              "main.a()\n\t/app/main.go:x1\n",
		"negative line number":         "main.a()\n\t/app/main.go:-1\n",
		"a function with spaces":       "not a function()\n\t/app/main.go:1\n",
		"unbalanced parentheses":       "((((\n))))\n",
		"random bytes":                 string(random),
		"NUL bytes":                    strings.Repeat("\x00", 1000),
	} {
		assert.Empty(t, parseStack(trace, modulesNaming(nil)), name)
	}
}

func TestParseStackIsBounded(t *testing.T) {
	frame := "main.recurse(0x1)\n\t/app/main.go:3 +0x1d\n"
	deep := "goroutine 1 [running]:\n" + strings.Repeat(frame, 100_000) // 3.9 MB
	frames := parseStack(deep, modulesNaming(nil))
	assert.Len(t, frames, maxFrames, "at most maxFrames frames")
	assert.LessOrEqual(t, maxFrames*len(frame), maxStackText, "maxStackText holds maxFrames ordinary frames")

	long := "main.a()\n\t/app/" + strings.Repeat("x", 10<<20) + ".go:1\n"
	assert.Empty(t, parseStack(long, modulesNaming(nil)), "a location cut off by maxStackText is no frame")
	assert.Empty(t, parseStack(strings.Repeat("goroutine 1 [", 1<<20), modulesNaming(nil)))
}

func TestGorootSrcIsWhereTheRuntimeIs(t *testing.T) {
	frames := parseStack(stackHere(), modulesNaming(nil))
	require.NotEmpty(t, frames)
	assert.True(t, strings.HasPrefix(frames[0].File, gorootSrc()), "%s is under %s", frames[0].File, gorootSrc())
	assert.True(t, strings.HasSuffix(gorootSrc(), "/src/") || gorootSrc() == "", gorootSrc())
}

func TestFuncPackageIsTheImportPathOfTheFunctionsPackage(t *testing.T) {
	for fn, want := range map[string]string{
		"main.main.func1":                               "main",
		"net/http.(*conn).serve":                        "net/http",
		"github.com/labstack/echo/v4.(*Echo).ServeHTTP": "github.com/labstack/echo/v4",
		"github.com/echoerr/echoerr_test.TestX":         "github.com/echoerr/echoerr_test",
		"panic":                                         "panic",
		"":                                              "",
	} {
		assert.Equal(t, want, FuncPackage(fn), fn)
	}
}

func TestFramePackageNamesLibrariesFromTheirFiles(t *testing.T) {
	// Packages are named from the files where they are the standard
	// library's or in the module cache, else from the function's name.
	for _, tc := range []struct {
		f      httperr.DebugFrame
		goroot string
		want   string
	}{
		{httperr.DebugFrame{Function: "main.main.RecoverWithConfig.func3.1", File: "/home/u/go/pkg/mod/github.com/labstack/echo/v4@v4.16.0/middleware/recover.go"}, gorootSrc(), "github.com/labstack/echo/v4/middleware"},
		{httperr.DebugFrame{Function: "panic", File: gorootSrc() + "runtime/panic.go"}, gorootSrc(), "runtime"},
		{httperr.DebugFrame{Function: "github.com/BurntSushi/toml.Decode", File: "/home/u/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go"}, gorootSrc(), "github.com/BurntSushi/toml"},
		{httperr.DebugFrame{Function: "x.F", File: "net/http/server.go"}, "", "net/http"},               // -trimpath
		{httperr.DebugFrame{Function: "x.F", File: "github.com/a/b@v1.0.0/b.go"}, "", "github.com/a/b"}, // -trimpath
		{httperr.DebugFrame{Function: "main.a", File: "/app/main.go"}, gorootSrc(), "main"},
	} {
		assert.Equal(t, tc.want, framePackage(tc.f, tc.goroot), tc.f.File)
	}
}

func TestParseStackNamesEachFramesPackage(t *testing.T) {
	frames := parseStack(stackHere(), modulesNaming(nil))
	require.NotEmpty(t, frames)
	for _, f := range frames {
		assert.NotEmpty(t, f.Package, "%+v", f)
	}
}

// FuzzParseStack: whatever the text, parseStack returns at most maxFrames
// frames, each with a function name without spaces, and FirstGoroutine a
// part of the text.
func FuzzParseStack(f *testing.F) {
	f.Add(stackHere())
	f.Add("[PANIC RECOVER] boom goroutine 1 [running]:\nmain.main()\n\t/app/main.go:3 +0x1\n\ngoroutine 2 [select]:\n")
	f.Add("\nmain.load\n\t/src/app/main.go:1")
	f.Add("created by x in goroutine 1\n\t:0\n((\n\t/a.go:1")
	f.Fuzz(func(t *testing.T, trace string) {
		frames := parseStack(trace, modulesNaming(nil))
		if len(frames) > maxFrames {
			t.Fatalf("%d frames", len(frames))
		}
		for _, fr := range frames {
			if fr.Function == "" || strings.ContainsAny(fr.Function, " \t\n") || fr.Line < 0 {
				t.Fatalf("bad frame %+v", fr)
			}
		}
		if first := FirstGoroutine(trace); !strings.Contains(trace, first) {
			t.Fatalf("FirstGoroutine(%q) = %q", trace, first)
		}
	})
}
