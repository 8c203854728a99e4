package engine

import (
	"html/template"
	"strings"
	"sync"
	"text/template/parse"
)

// This file holds the HTML renderer's page skeletons: a production page
// (no debug detail, no extensions) is executed once per page template,
// status and set of empty fields, with a hole where each per-request value
// goes; a request then writes the skeleton's text and its own values,
// escaped, instead of executing the template.
//
// A skeleton is used only where it writes the bytes the template would:
//   - statically, the page's template set uses the per-request fields only
//     as {{.F}} in text, an attribute value or <title>, or as the test of
//     {{if .F}} / {{with .F}} (whose body then shows only {{.}}), and calls
//     no function of the user's (which could return anything, a clock);
//     see skeletonSafe;
//   - dynamically, executing the page with a probe value in each field
//     (markup, quotes, NUL, a backslash, invalid UTF-8) gives exactly the
//     skeleton filled with the probes as appendHTMLEscaped escapes them:
//     a hole in a script, a style or a URL escapes differently, and that
//     page keeps executing its template.
//
// TestSkeletonWritesWhatTheTemplateWrites and FuzzSkeleton hold the bytes
// of both paths equal.
//
// What it buys, end to end: a browser's 404 (the built-in page, Echo v4,
// _loadtest behind wrk -c64 -d6s with Chrome's Accept, 2026-12-08) costs
// the server 18.3-18.5 µs of CPU and 23 heap allocations with skeletons,
// 27.9-28.2 µs and 100 allocations without; 54 000 requests/s against
// 35 500.

// holeFields are the PageData fields that vary per request, in hole order.
var holeFields = [...]string{"Name", "Description", "RequestID", "Path"}

// holeValues returns d's per-request values, in holeFields' order.
func holeValues(d *PageData) [len(holeFields)]string {
	return [...]string{d.Name, d.Description, d.RequestID, d.Path}
}

// maxSkeletons bounds the skeletons a renderer keeps: statuses come from
// the application's errors, but nothing else bounds them.
const maxSkeletons = 256

// skeleton is a page with holes: parts[0], the value of holes[0],
// parts[1], ... parts[len(holes)].
type skeleton struct {
	parts []string
	holes []int // indexes into holeFields
}

// skeletonKey names a skeleton: a page, a status and which of the hole
// fields are not empty (bit i for holeFields[i]), since {{if}} and
// {{with}} may test them.
type skeletonKey struct {
	t      *template.Template
	code   int
	filled uint8
}

// skeletons are an HTML renderer's skeletons, built on first use. A nil
// entry records a page that has none.
type skeletons struct {
	home string // PageData.Home, the renderer's
	safe map[*template.Template]bool
	mu   sync.RWMutex
	m    map[skeletonKey]*skeleton
}

// write appends to buf the page t writes for d, reporting false when d
// must be rendered by executing t: it has debug detail or extensions, or
// the page has no skeleton.
func (s *skeletons) write(buf []byte, t *template.Template, d *PageData) ([]byte, bool) {
	if d.Debug != nil || len(d.Extensions) > 0 || !s.safe[t] {
		return buf, false
	}
	values := holeValues(d)
	k := skeletonKey{t: t, code: d.Code}
	for i, v := range values {
		if v != "" {
			k.filled |= 1 << i
		}
	}
	sk := s.get(k)
	if sk == nil {
		return buf, false
	}
	for i, h := range sk.holes {
		buf = append(buf, sk.parts[i]...)
		buf = appendHTMLEscaped(buf, values[h])
	}
	return append(buf, sk.parts[len(sk.holes)]...), true
}

// get returns the skeleton of k, building it the first time.
func (s *skeletons) get(k skeletonKey) *skeleton {
	s.mu.RLock()
	sk, ok := s.m[k]
	s.mu.RUnlock()
	if ok {
		return sk
	}
	sk = buildSkeleton(k, s.home)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) < maxSkeletons {
		s.m[k] = sk
	}
	return sk
}

// buildSkeleton executes k's page with a sentinel in each filled hole
// field, cuts the output at the sentinels, and checks the result against
// an execution with probe values. It returns nil when they differ.
func buildSkeleton(k skeletonKey, home string) *skeleton {
	sentinel := func(i int) string { return "EchoerrHole" + string(rune('A'+i)) + "q7Zx" }
	probe := func(i int) string { return string(rune('A'+i)) + "<p class=\"x\">'&amp;+ \\/\x00é\xff\n`=</p>" }
	out, ok := executeWith(k, home, sentinel)
	if !ok {
		return nil
	}
	sk := &skeleton{}
	for {
		at, hole := -1, 0
		for i := range holeFields {
			if j := strings.Index(out, sentinel(i)); j >= 0 && (at < 0 || j < at) {
				at, hole = j, i
			}
		}
		if at < 0 {
			break
		}
		sk.parts = append(sk.parts, out[:at])
		sk.holes = append(sk.holes, hole)
		out = out[at+len(sentinel(hole)):]
	}
	sk.parts = append(sk.parts, out)
	want, ok := executeWith(k, home, probe)
	var got []byte
	for i, h := range sk.holes {
		got = appendHTMLEscaped(append(got, sk.parts[i]...), probe(h))
	}
	if got = append(got, sk.parts[len(sk.holes)]...); !ok || string(got) != want {
		return nil
	}
	return sk
}

// executeWith executes k's page with value(i) in each filled hole field.
func executeWith(k skeletonKey, home string, value func(i int) string) (string, bool) {
	var v [len(holeFields)]string
	for i := range v {
		if k.filled&(1<<i) != 0 {
			v[i] = value(i)
		}
	}
	d := &PageData{Code: k.code, Name: v[0], Description: v[1], RequestID: v[2], Path: v[3], Home: home}
	var b strings.Builder
	err := k.t.Execute(&b, d)
	return b.String(), err == nil
}

// appendHTMLEscaped appends s escaped as html/template escapes a string in
// text, in a quoted attribute value and in RCDATA (<title>): the same
// table, byte by byte, since every byte it replaces is ASCII
// (FuzzHTMLEscaped compares the two).
func appendHTMLEscaped(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			buf = append(buf, "\uFFFD"...)
		case '"':
			buf = append(buf, "&#34;"...)
		case '&':
			buf = append(buf, "&amp;"...)
		case '\'':
			buf = append(buf, "&#39;"...)
		case '+':
			buf = append(buf, "&#43;"...)
		case '<':
			buf = append(buf, "&lt;"...)
		case '>':
			buf = append(buf, "&gt;"...)
		default:
			buf = append(buf, c)
		}
	}
	return buf
}

// Kinds of dot while a template is checked (see skeletonSafe).
const (
	dotPage  = iota // the PageData: hole fields are watched
	dotHole         // a hole field's value, inside {{with .F}}
	dotOther        // something else: a range element, .Debug, nothing
)

// skeletonSafe reports whether t, and every template it calls, uses the
// hole fields in forms a skeleton reproduces (see the top of this file).
// It reads the trees html/template escaped, which checkPage made it do.
// A template is checked for each kind of dot its calls give it.
func skeletonSafe(t *template.Template) bool {
	g := gate{set: t, seen: map[string]bool{}}
	return g.template(t.Name(), dotPage)
}

// gate is skeletonSafe's walk: the template set, and the templates
// checked so far with each kind of dot.
type gate struct {
	set  *template.Template
	seen map[string]bool
}

// template checks the template name with dot. A copy html/template made
// to escape it in another context ("title$htmltemplate_stateRCDATA") has
// its original's structure: the original is checked.
func (g *gate) template(name string, dot int) bool {
	name, _, _ = strings.Cut(name, "$htmltemplate_")
	key := name + "\x00" + string(rune('0'+dot))
	if g.seen[key] {
		return true
	}
	g.seen[key] = true
	t := g.set.Lookup(name)
	return t != nil && t.Tree != nil && g.list(t.Tree.Root, dot)
}

func (g *gate) list(l *parse.ListNode, dot int) bool {
	if l == nil {
		return true
	}
	for _, n := range l.Nodes {
		if !g.node(n, dot) {
			return false
		}
	}
	return true
}

func (g *gate) node(n parse.Node, dot int) bool {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		return true
	case *parse.ActionNode:
		return isHoleAction(n.Pipe, dot) || (dot != dotHole && safePipe(n.Pipe, dot))
	case *parse.TemplateNode:
		switch {
		case n.Pipe == nil:
			return g.template(n.Name, dotOther)
		case dot != dotHole && isDot(n.Pipe):
			return g.template(n.Name, dot)
		}
		return dot != dotHole && safePipe(n.Pipe, dot) && g.template(n.Name, dotOther)
	case *parse.IfNode:
		return g.branch(&n.BranchNode, dot, dot)
	case *parse.WithNode:
		return g.branch(&n.BranchNode, dot, dotOther)
	case *parse.RangeNode:
		return g.branch(&n.BranchNode, dot, dotOther) // ranging over a string fails when it runs
	}
	return false
}

// branch checks an if, with or range: its test may be a hole field (for
// with, the body then sees only that value), or any safe pipeline.
func (g *gate) branch(b *parse.BranchNode, dot, bodyDot int) bool {
	switch {
	case isHoleRef(b.Pipe, dot) && b.NodeType == parse.NodeWith:
		bodyDot = dotHole
	case isHoleRef(b.Pipe, dot):
	case dot == dotHole || !safePipe(b.Pipe, dot):
		return false
	}
	return g.list(b.List, bodyDot) && g.list(b.ElseList, dot)
}

// isHoleRef reports whether p is exactly a hole field: .F, $.F, or dot
// inside {{with .F}}.
func isHoleRef(p *parse.PipeNode, dot int) bool {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	return isHoleArg(p.Cmds[0].Args[0], dot)
}

func isHoleArg(a parse.Node, dot int) bool {
	switch a := a.(type) {
	case *parse.DotNode:
		return dot == dotHole
	case *parse.FieldNode:
		return dot == dotPage && len(a.Ident) == 1 && isHoleField(a.Ident[0])
	case *parse.VariableNode:
		return len(a.Ident) == 2 && a.Ident[0] == "$" && isHoleField(a.Ident[1])
	}
	return false
}

// isDot reports whether p is exactly dot.
func isDot(p *parse.PipeNode) bool {
	if len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	_, ok := p.Cmds[0].Args[0].(*parse.DotNode)
	return ok
}

func isHoleField(name string) bool {
	for _, f := range holeFields {
		if name == f {
			return true
		}
	}
	return false
}

// isHoleAction reports whether p shows a hole field escaped as
// appendHTMLEscaped escapes: {{.F}} followed by html/template's escaper
// for text, a quoted attribute value or RCDATA. A template that
// html/template copied to escape it in another context ("title" in
// <title>) keeps its tree unescaped: the copy's escaping is left to the
// probe (see buildSkeleton).
func isHoleAction(p *parse.PipeNode, dot int) bool {
	if len(p.Decl) > 0 || len(p.Cmds[0].Args) != 1 || !isHoleArg(p.Cmds[0].Args[0], dot) {
		return false
	}
	for _, c := range p.Cmds[1:] {
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if !ok || len(c.Args) != 1 {
			return false
		}
		switch id.Ident {
		case "_html_template_htmlescaper", "_html_template_attrescaper", "_html_template_rcdataescaper":
		default:
			return false
		}
	}
	return true
}

// safePipe reports whether p reads no hole field and calls only
// html/template's escapers and text/template's builtins other than call:
// functions whose result depends on their arguments alone. Dot as an
// argument is refused while it may be the page data.
func safePipe(p *parse.PipeNode, dot int) bool {
	if p == nil {
		return true
	}
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			if !safeArg(a, dot) {
				return false
			}
		}
	}
	return true
}

func safeArg(a parse.Node, dot int) bool {
	switch a := a.(type) {
	case *parse.IdentifierNode:
		return strings.HasPrefix(a.Ident, "_html_template_") || pureBuiltins[a.Ident]
	case *parse.DotNode:
		return dot == dotOther
	case *parse.FieldNode:
		return dot == dotOther || (dot == dotPage && !isHoleField(a.Ident[0]))
	case *parse.VariableNode:
		return a.Ident[0] != "$" || (len(a.Ident) > 1 && !isHoleField(a.Ident[1]))
	case *parse.PipeNode:
		return safePipe(a, dot)
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		return true
	}
	return false // a chain node, say: refused rather than followed
}

// pureBuiltins are text/template's builtin functions whose result depends
// on their arguments alone, and the HTML renderer's editorLink (whose
// pattern is the renderer's; TemplateFuncs cannot replace it).
var pureBuiltins = map[string]bool{
	"and": true, "or": true, "not": true, "len": true, "index": true, "slice": true, "print": true,
	"printf": true, "println": true, "eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
	"html": true, "js": true, "urlquery": true, "editorLink": true,
}
