package httperr

import (
	"runtime"
	"strconv"
	"strings"
)

// DebugInfo is the detail added to error responses in debug mode. Values of
// the Authorization, Cookie, Set-Cookie and Proxy-Authorization headers are
// redacted everywhere in it, including inside error messages and source
// lines.
type DebugInfo struct {
	// Chain lists the links of the error chain, outermost first.
	Chain []DebugChainLink `json:"chain"`
	// Stack is the stack trace carried by an error in the chain, if any:
	// the failing goroutine's only.
	Stack string `json:"stack,omitempty"`
	// Request is the request line, such as "GET /users/7 HTTP/1.1".
	Request string `json:"request"`
	// Header holds the request headers as name/value pairs, sorted by name.
	// JSON bodies leave it out; the HTML debug page shows it.
	Header [][2]string `json:"-"`

	// The fields below serve the HTML debug page; JSON bodies leave them
	// out (Stack and Request hold the same facts as text).

	// Frames is Stack parsed into frames, innermost call first; empty when
	// there is no stack or it is not in a format echoerr reads.
	Frames []DebugFrame `json:"-"`
	// Method is the request method, such as "GET".
	Method string `json:"-"`
	// URL is the request's URL with scheme and host, as the client asked
	// for it, such as "http://example.com/users/7?tab=2".
	URL string `json:"-"`
	// Route is the path pattern of the route that matched, such as
	// "/users/:id", or "" when none did.
	Route string `json:"-"`
	// Params holds the route's path parameters as name/value pairs, in
	// the route's order, such as {{"id", "7"}}.
	Params [][2]string `json:"-"`
	// Query holds the URL's query parameters as name/value pairs, decoded,
	// in the order the URL gives them.
	Query [][2]string `json:"-"`
	// Handler is the location of the handler Echo ran for the route: its
	// function, and the file and line where the function is declared, with
	// the source around it when it is the application's. It tells where an
	// error without a stack came from. It is nil when no route matched or
	// the handler is not known. The handler is the one Echo's router holds:
	// on Echo v5, the outermost route-level middleware of a route that has
	// some.
	Handler *DebugFrame `json:"-"`
}

// DebugChainLink is one link of an error chain, as DebugInfo lists it.
type DebugChainLink struct {
	// Type is the link's Go type, such as "*fs.PathError".
	Type string `json:"type"`
	// Message is its Error() text, bounded.
	Message string `json:"message"`
}

// DebugFrame is one frame of a stack trace.
type DebugFrame struct {
	// Function is the function's full name without its arguments, such as
	// "main.(*Server).handle" or "net/http.HandlerFunc.ServeHTTP".
	Function string `json:"function"`
	// File is the source file as the trace names it, "" when it names none.
	File string `json:"file,omitempty"`
	// Line is the line in File, 0 when the trace gives none.
	Line int `json:"line,omitempty"`
	// App marks an application frame: its package is in the main module
	// (runtime/debug.ReadBuildInfo's Main.Path) or in a module named with
	// AppModules, and is not echoerr's, Echo's or the standard library's.
	// The debug page shows application frames open, with their source, and
	// folds the others.
	App bool `json:"app,omitempty"`
	// CreatedBy marks the "created by" entry that ends a goroutine's trace:
	// where the goroutine was started, not a call in progress.
	CreatedBy bool `json:"created_by,omitempty"`
	// Package is the import path of the frame's package, such as
	// "net/http" or "github.com/labstack/echo/v4", for summaries.
	Package string `json:"-"`
	// Source holds the lines of an application frame's file around Line,
	// the frame's own marked Current, read when the DebugInfo was made. It
	// is nil for library frames, for application frames past the first 20
	// of a trace, and when the file could not be read as Go source.
	Source []DebugSourceLine `json:"-"`
}

// DebugSourceLine is one line of source code around a stack frame.
type DebugSourceLine struct {
	// Number is the line's number in its file, from 1.
	Number int
	// Text is the line without its line break; a very long line is cut
	// and ends in "…".
	Text string
	// Current marks the frame's own line, the one it was executing.
	Current bool
}

// DebugFrameGroup is a run of consecutive frames that are all application
// frames or all library frames (see DebugInfo.FrameGroups).
type DebugFrameGroup struct {
	// App tells whether the frames are application frames.
	App bool
	// Frames are the frames of the run, innermost first.
	Frames []DebugFrame
}

// FrameGroups returns Frames in runs of consecutive application frames and
// library frames, innermost first: the debug page shows each application
// frame open and folds each run of library frames into one line.
func (d *DebugInfo) FrameGroups() []DebugFrameGroup {
	if d == nil {
		return nil
	}
	var groups []DebugFrameGroup
	for i, f := range d.Frames {
		if i == 0 || f.App != d.Frames[i-1].App {
			groups = append(groups, DebugFrameGroup{App: f.App})
		}
		g := &groups[len(groups)-1]
		g.Frames = append(g.Frames, f)
	}
	return groups
}

// Summary describes a run of frames in a few words, such as "3 library
// frames: runtime, net/http", naming at most three packages.
func (g DebugFrameGroup) Summary() string {
	var pkgs []string
	more := false
	for _, f := range g.Frames {
		known := false
		for _, q := range pkgs {
			known = known || q == f.Package
		}
		switch {
		case known || f.Package == "":
		case len(pkgs) == 3:
			more = true
		default:
			pkgs = append(pkgs, f.Package)
		}
	}
	kind := "library"
	if g.App {
		kind = "application"
	}
	noun := " frames"
	if len(g.Frames) == 1 {
		noun = " frame"
	}
	s := strconv.Itoa(len(g.Frames)) + " " + kind + noun
	if len(pkgs) > 0 {
		s += ": " + strings.Join(pkgs, ", ")
		if more {
			s += ", …"
		}
	}
	return s
}

// Report returns a Markdown summary to paste into a bug report: the
// request line, route, path and query parameters, handler and Go version,
// the error chain (when there is one) and the stack's frames (application frames marked with "*"), or
// the stack as text when it could not be parsed. Each part is a fenced code
// block under a heading, so that no text of the error's or the request's
// is read as Markdown. Headers and source lines are left out.
func (d *DebugInfo) Report() string {
	if d == nil {
		return ""
	}
	var req strings.Builder
	req.WriteString(d.Request + "\n")
	if d.Route != "" {
		req.WriteString("Route: " + d.Route + "\n")
	}
	writePairs(&req, "Path parameters", d.Params)
	writePairs(&req, "Query", d.Query)
	if h := d.Handler; h != nil {
		req.WriteString("Handler: " + h.Function + " (" + h.File + ":" + strconv.Itoa(h.Line) + ")\n")
	}
	req.WriteString("Go: " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n")
	var b strings.Builder
	writeBlock(&b, "Request", req.String())
	if len(d.Chain) > 0 {
		var chain strings.Builder
		for i, l := range d.Chain {
			chain.WriteString(strconv.Itoa(i+1) + ". " + l.Type + ": " + l.Message + "\n")
		}
		writeBlock(&b, "Error chain", chain.String())
	}
	switch {
	case len(d.Frames) > 0:
		var st strings.Builder
		for _, f := range d.Frames {
			writeFrame(&st, f)
		}
		writeBlock(&b, "Stack (innermost call first, * application code)", st.String())
	case d.Stack != "":
		writeBlock(&b, "Stack", d.Stack+"\n")
	}
	return b.String()
}

// writePairs writes name/value pairs on one line, "Query: a=1 b=2", or
// nothing when there are none.
func writePairs(b *strings.Builder, title string, pairs [][2]string) {
	if len(pairs) == 0 {
		return
	}
	b.WriteString(title + ":")
	for _, p := range pairs {
		b.WriteString(" " + p[0] + "=" + p[1])
	}
	b.WriteByte('\n')
}

// writeBlock writes a Markdown heading and text (ending in a line break)
// as a fenced code block, its fence longer than any run of backticks in
// text.
func writeBlock(b *strings.Builder, heading, text string) {
	longest, run := 0, 0
	for i := 0; i < len(text); i++ {
		if text[i] != '`' {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	fence := strings.Repeat("`", max(3, longest+1))
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("#### " + heading + "\n\n" + fence + "text\n" + text + fence + "\n")
}

func writeFrame(b *strings.Builder, f DebugFrame) {
	mark := "  "
	if f.App {
		mark = "* "
	}
	if f.CreatedBy {
		b.WriteString(mark + "created by " + f.Function + "\n")
	} else {
		b.WriteString(mark + f.Function + "\n")
	}
	if f.File != "" {
		b.WriteString("      " + f.File + ":" + strconv.Itoa(f.Line) + "\n")
	}
}
