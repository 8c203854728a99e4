package debugpage

// This file reads goroutine stack traces in the format of runtime.Stack and
// runtime/debug.Stack, the format Echo's Recover middleware captures (v4
// passes it to its LogErrorFunc; v5 keeps it in middleware.PanicStackError,
// whose Error() text starts with "[PANIC RECOVER] message " and goes on
// with the stack). It imports no Echo package.

import (
	"path"
	"reflect"
	"runtime"
	"strconv"
	"strings"

	"github.com/echoerr/echoerr/httperr"
)

// framePackage names the package of a frame for a summary: from its file
// when that tells it (see filePackage; a closure inlined into a caller
// carries the caller's name, not its own), else from the function's name.
func framePackage(f httperr.DebugFrame, gorootSrc string) string {
	if pkg, _ := filePackage(f.File, gorootSrc); pkg != "" {
		return pkg
	}
	return FuncPackage(f.Function)
}

// moduleDir returns the package directory of a file named as in the module
// cache, "github.com/!burnt!sushi/toml@v1.3.2/decode.go", as an import path:
// "github.com/BurntSushi/toml".
func moduleDir(file string) string {
	elems := strings.Split(path.Dir(file), "/")
	for i, e := range elems {
		if at := strings.IndexByte(e, '@'); at >= 0 {
			elems[i] = e[:at]
		}
		if strings.Contains(elems[i], "!") {
			var b strings.Builder
			for j := 0; j < len(elems[i]); j++ {
				if c := elems[i][j]; c == '!' && j+1 < len(elems[i]) {
					j++
					b.WriteString(strings.ToUpper(elems[i][j : j+1]))
				} else {
					b.WriteByte(c)
				}
			}
			elems[i] = b.String()
		}
	}
	return strings.Join(elems, "/")
}

// Limits of parseStack: it reads at most maxStackText bytes of a trace
// and returns at most maxFrames frames (Go itself prints at most 100 per
// goroutine), and the source of at most maxSourceFrames application frames
// is read for the page.
const (
	maxStackText    = 256 << 10
	maxFrames       = 200
	maxSourceFrames = 20
)

// parseStack parses the first goroutine of a stack trace into frames,
// innermost call first, as the trace lists them, m telling the
// application's frames (see modules.isAppFrame). It reads the format of
// runtime.Stack and runtime/debug.Stack (a function line, then a tab and
// "file:line +0xpc"), with or without a goroutine header and text before
// it, and so also the %+v form of a github.com/pkg/errors StackTrace. Lines
// it does not recognize are skipped: garbage gives no frames, never a
// panic, and the work is bounded by maxStackText and maxFrames.
func parseStack(trace string, m *modules) (frames []httperr.DebugFrame) {
	defer func() {
		if recover() != nil {
			frames = nil
		}
	}()
	if len(trace) > maxStackText {
		trace = trace[:maxStackText]
	}
	trace = FirstGoroutine(trace)
	if strings.HasPrefix(trace, "goroutine ") { // the header line
		_, trace, _ = strings.Cut(trace, "\n")
	}
	fn, createdBy, haveFn := "", false, false
	for trace != "" && len(frames) < maxFrames {
		var line string
		line, trace, _ = strings.Cut(trace, "\n")
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if line[0] == '\t' || line[0] == ' ' { // the location of the function above
			file, n, ok := parseLocation(line)
			if ok && haveFn {
				f := httperr.DebugFrame{Function: fn, File: file, Line: n, CreatedBy: createdBy}
				f.App = m.isAppFrame(fn, file)
				f.Package = framePackage(f, m.gorootSrc)
				frames = append(frames, f)
			}
			haveFn = false
			continue
		}
		fn, createdBy, haveFn = parseFunction(line)
	}
	return frames
}

// parseFunction parses a function line of a trace: "pkg.F(0x1, ...)",
// "pkg.(*T).M(...)", "panic({0x4a1b20?, 0x4e2a48?})", "pkg.F" (a pkg/errors
// trace) or "created by pkg.F in goroutine 1". ok is false for anything
// else, such as "...additional frames elided...".
func parseFunction(line string) (fn string, createdBy, ok bool) {
	if rest, found := strings.CutPrefix(line, "created by "); found {
		line, createdBy = rest, true
		if i := strings.Index(line, " in goroutine "); i >= 0 {
			line = line[:i]
		}
	}
	if strings.HasSuffix(line, ")") { // strip the argument list
		depth := 0
		for i := len(line) - 1; i >= 0; i-- {
			switch line[i] {
			case ')':
				depth++
			case '(':
				depth--
			}
			if depth == 0 {
				line = line[:i]
				break
			}
		}
	}
	if line == "" || strings.ContainsAny(line, " \t") || strings.HasPrefix(line, ".") {
		return "", false, false
	}
	return line, createdBy, true
}

// parseLocation parses a location line of a trace: a tab, the file, a
// colon and the line number, then perhaps " +0x1d" or other fields.
func parseLocation(line string) (file string, n int, ok bool) {
	line = strings.TrimLeft(line, " \t")
	if i := strings.Index(line, " +0x"); i >= 0 {
		line = line[:i]
	} else if i := strings.Index(line, " fp=0x"); i >= 0 {
		line = line[:i]
	}
	colon := strings.LastIndexByte(line, ':')
	if colon <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(line[colon+1:])
	if err != nil || n < 0 {
		return "", 0, false
	}
	return line[:colon], n, true
}

// gorootSrc returns the directory of the standard library's sources as this
// binary's traces name them, such as "/usr/local/go/src/", or "" for a
// binary built with -trimpath, whose traces name them relative to it
// ("net/http/server.go"). It asks the runtime where strings.Cut is.
func gorootSrc() string {
	pc := reflect.ValueOf(strings.Cut).Pointer()
	f := runtime.FuncForPC(pc)
	if f == nil {
		return ""
	}
	file, _ := f.FileLine(pc)
	dir, _ := strings.CutSuffix(file, "strings/strings.go")
	return dir
}

// isAbsPath reports an absolute path, in the forward-slash form of Go's
// traces on every system ("/src/app/main.go", "C:/src/app/main.go").
func isAbsPath(p string) bool {
	return strings.HasPrefix(p, "/") || len(p) > 2 && p[1] == ':' && p[2] == '/'
}

// FuncPackage returns the import path of a function's package, from its
// full name as runtime.Frame and stack traces print it: "net/http" for
// "net/http.(*conn).serve", "main" for "main.main.func1".
func FuncPackage(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot < 0 {
		return fn
	}
	return fn[:slash+1+dot]
}

// FirstGoroutine returns the stack of the first goroutine in s: from its
// "goroutine N [...]:" header, which may follow other text on its line (as
// in Echo v5's PanicStackError text), up to the next goroutine's header.
// runtime.Stack(buf, true), which Echo's Recover calls unless
// DisableStackAll is set, prints the calling goroutine first, then every
// other one; only the first is about the failure. A text without a header
// (a github.com/pkg/errors trace, say) is returned as it is.
func FirstGoroutine(s string) string {
	start := goroutineHeader(s, 0, false)
	if start < 0 {
		return s
	}
	end := len(s)
	if nl := strings.IndexByte(s[start:], '\n'); nl >= 0 {
		if next := goroutineHeader(s, start+nl+1, true); next >= 0 {
			end = next
		}
	}
	return strings.TrimRight(s[start:end], " \t\r\n")
}

// OneGoroutine returns s without what follows the first goroutine of a
// dump of several (runtime.Stack(buf, true), which Echo's Recover records
// by default) inside a text, such as the text of an error that wraps Echo
// v5's PanicStackError: the other goroutines, up to the end of s, are
// replaced by a note. A text with one goroutine or none is returned as it
// is. Its cost is linear in len(s).
func OneGoroutine(s string) string {
	start := goroutineHeader(s, 0, false)
	if start < 0 {
		return s
	}
	nl := strings.IndexByte(s[start:], '\n')
	if nl < 0 {
		return s
	}
	next := goroutineHeader(s, start+nl+1, true)
	if next < 0 {
		return s
	}
	return s[:next] + otherGoroutines
}

// otherGoroutines stands for the goroutines OneGoroutine leaves out.
const otherGoroutines = "[other goroutines left out]"

// goroutineHeader returns the index of the first goroutine header in s at
// or after from, or -1. With lineStart the header must begin a line.
// A header is "goroutine", a space, a decimal id, then " [" (the state,
// "[running]:") or " gp=" (the GOTRACEBACK=system form).
func goroutineHeader(s string, from int, lineStart bool) int {
	const word = "goroutine "
	for from < len(s) {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		from = i + len(word)
		if lineStart && i > 0 && s[i-1] != '\n' {
			continue
		}
		j := from
		for j < len(s) && j-from < 20 && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		if j == from {
			continue
		}
		if rest := s[j:]; strings.HasPrefix(rest, " [") || strings.HasPrefix(rest, " gp=") {
			return i
		}
	}
	return -1
}
