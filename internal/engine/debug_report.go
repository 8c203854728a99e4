package engine

// This file derives the views of the HTML debug page from a DebugInfo. It
// imports no Echo package.

import (
	"runtime"
	"strconv"
	"strings"
)

// FrameGroups returns Frames in runs of consecutive application frames and
// library frames, innermost first: the debug page shows each application
// frame open and folds each run of library frames into one line.
func (d *DebugInfo) FrameGroups() []DebugFrameGroup {
	if d == nil {
		return nil
	}
	return groupFrames(d.Frames)
}

// Report returns a plain-text summary to paste into a bug report: the
// request line and route, the Go version, the error chain and the stack's
// frames (application frames marked with "*"), or the stack as text when it
// could not be parsed. Secrets are redacted as everywhere in DebugInfo;
// headers and source lines are left out.
func (d *DebugInfo) Report() string {
	if d == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(d.Request)
	b.WriteByte('\n')
	if d.Route != "" {
		b.WriteString("Route: " + d.Route + "\n")
	}
	b.WriteString("Go: " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n")
	b.WriteString("\nError chain:\n")
	if len(d.Chain) == 0 {
		b.WriteString("  (no error value)\n")
	}
	for i, l := range d.Chain {
		b.WriteString("  " + strconv.Itoa(i+1) + ". " + l.Type + ": " + l.Message + "\n")
	}
	switch {
	case len(d.Frames) > 0:
		b.WriteString("\nStack (innermost call first, * application code):\n")
		for _, f := range d.Frames {
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
	case d.Stack != "":
		b.WriteString("\nStack:\n" + d.Stack + "\n")
	}
	return b.String()
}
