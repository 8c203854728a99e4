package debugpage

// This file serves the HTML renderer: the sample detail its start-up
// check runs each page with, the debug section added to pages that lack
// it, and the links that open a frame's file in an editor.

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/echoerr/echoerr/httperr"
)

// SamplePages returns the data the HTML renderer's start-up check runs each
// page with: a 500's, without and with debug detail (Sample).
func SamplePages() []*httperr.PageData {
	page := func(debug *httperr.DebugInfo) *httperr.PageData {
		return &httperr.PageData{
			Code: 500, Name: "Internal Server Error", Description: "sample", Home: "/", RequestID: "id", Path: "/",
			Extensions: map[string]any{}, Debug: debug,
		}
	}
	return []*httperr.PageData{page(nil), page(Sample())}
}

// Sample returns debug detail with every field set, for checking at start
// up that a page can show any: two links of a chain, a stack parsed into a
// library frame, an application frame with its source and a "created by"
// entry, the request with a route, path and query parameters and headers.
func Sample() *httperr.DebugInfo {
	return &httperr.DebugInfo{
		Chain: []httperr.DebugChainLink{
			{Type: "*fmt.wrapError", Message: "load order: sample"},
			{Type: "*errors.errorString", Message: "sample"},
		},
		Stack:   "goroutine 1 [running]:\nmain.load(...)\n\t/app/main.go:12\n",
		Request: "GET /orders/7?tab=2 HTTP/1.1",
		Header:  [][2]string{{"Accept", "text/html"}, {"Cookie", "[redacted]"}},
		Frames: []httperr.DebugFrame{
			{Function: "runtime.gopanic", File: "/go/src/runtime/panic.go", Line: 1, Package: "runtime"},
			{Function: "main.load", File: "/app/main.go", Line: 12, App: true, Package: "main", Source: []httperr.DebugSourceLine{
				{Number: 11, Text: "func load() {"}, {Number: 12, Text: "\tpanic(\"sample\")", Current: true},
			}},
			{Function: "net/http.(*Server).Serve", File: "/go/src/net/http/server.go", Line: 3, CreatedBy: true, Package: "net/http"},
		},
		Method: "GET",
		URL:    "http://example.com/orders/7?tab=2",
		Route:  "/orders/:id",
		Params: [][2]string{{"id", "7"}},
		Handler: &httperr.DebugFrame{Function: "main.showOrder", File: "/app/main.go", Line: 10, App: true, Package: "main",
			Source: []httperr.DebugSourceLine{{Number: 10, Text: "func showOrder(c echo.Context) error {", Current: true}}},
		Query: [][2]string{{"tab", "2"}},
	}
}

// The debug section and its style are told apart in a page by these
// attributes of their root elements: the built-in debug.html's <section>
// and debug-style.html's <style>.
const (
	sectionMark = `id="echoerr-debug"`
	styleMark   = `id="echoerr-debug-style"`
)

// Inject returns page with the debug section and its style added, each
// only when page lacks it (when page holds its mark, see sectionMark and
// styleMark); part renders one of them by template name, "debug.html" or
// "debug-style.html". The section goes right after the <body> start tag
// (or after </head>, or at the end, for a page without one), so that the
// error leads the page; the style goes before </head>, or with the
// section for a page without a head. The page's own text is kept whole:
// it stays the document it was.
func Inject(page []byte, part func(name string) ([]byte, error)) ([]byte, error) {
	var section, style []byte
	var err error
	if !bytes.Contains(page, []byte(sectionMark)) {
		if section, err = part("debug.html"); err != nil {
			return page, err
		}
	}
	if !bytes.Contains(page, []byte(styleMark)) {
		if style, err = part("debug-style.html"); err != nil {
			return page, err
		}
	}
	if section == nil && style == nil {
		return page, nil
	}
	lower := asciiLower(page)
	at, head := bodyStart(lower), bytes.Index(lower, []byte("</head>"))
	out := make([]byte, 0, len(page)+len(section)+len(style)+2)
	if head >= 0 && head+len("</head>") <= at {
		out = append(append(append(out, page[:head]...), style...), page[head:at]...)
	} else {
		out = append(append(out, page[:at]...), style...)
	}
	if section != nil {
		out = append(append(out, '\n'), section...)
	}
	return append(out, page[at:]...), nil
}

// bodyStart returns the index in page (in lower case) right after the
// <body> start tag, else right after </head>, else len(page).
func bodyStart(page []byte) int {
	for from := 0; ; {
		i := bytes.Index(page[from:], []byte("<body"))
		if i < 0 {
			break
		}
		i += from + len("<body")
		if i < len(page) && strings.IndexByte("\t\n\f\r />", page[i]) >= 0 {
			if end := tagEnd(page, i); end >= 0 {
				return end
			}
			break
		}
		from = i
	}
	if i := bytes.Index(page, []byte("</head>")); i >= 0 {
		return i + len("</head>")
	}
	return len(page)
}

// tagEnd returns the index after the '>' that ends the tag whose
// attributes start at i, skipping quoted values, or -1.
func tagEnd(page []byte, i int) int {
	var quote byte
	for ; i < len(page); i++ {
		switch c := page[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return -1
}

// asciiLower returns b with ASCII letters in lower case, byte for byte.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// CheckEditorPattern returns an error when pattern cannot make editor
// links: it must start with a URL scheme (such as vscode: or idea:) other
// than javascript:, vbscript: or data:, and hold {path}.
func CheckEditorPattern(pattern string) error {
	scheme, _, ok := strings.Cut(pattern, ":")
	u, err := url.Parse(scheme + ":")
	switch {
	case !ok || err != nil || u.Scheme == "" || u.Scheme != scheme:
		return fmt.Errorf("editor link pattern %q does not start with a URL scheme, such as vscode://file/{path}:{line}", pattern)
	case strings.EqualFold(scheme, "javascript") || strings.EqualFold(scheme, "vbscript") || strings.EqualFold(scheme, "data"):
		return fmt.Errorf("editor link pattern %q: the scheme %s: is not allowed", pattern, scheme)
	case !strings.Contains(pattern, "{path}"):
		return fmt.Errorf("editor link pattern %q has no {path}", pattern)
	}
	return nil
}

// EditorLink returns pattern (checked by CheckEditorPattern) with {path}
// replaced by file, percent-encoded where a URL path needs it, and {line}
// by line; "" when pattern is "" or file is not an absolute path (a build
// with -trimpath names module paths, which no editor opens).
func EditorLink(pattern, file string, line int) template.URL {
	if pattern == "" || !isAbsPath(file) {
		return ""
	}
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	r := strings.NewReplacer("{path}", strings.Join(segs, "/"), "{line}", strconv.Itoa(line))
	return template.URL(r.Replace(pattern)) //nolint:gosec // the scheme is the developer's, checked; the path is escaped
}
