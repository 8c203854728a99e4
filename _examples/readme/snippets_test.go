package readme

import (
	"fmt"
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// A snippet is a Go code block of the documentation that is not a whole
// program: a README or reference fence, or a code block of a face's doc
// comments (what pkg.go.dev shows). TestSnippetsCompileOrAreMarkedFragments
// holds each of them to one of two rules:
//
//   - it compiles as written, inside a package that gives it the names a
//     reader assumes (e, c, err, opts, InvalidAPIUsage, ...: see stubs),
//     its imports added from the package names it uses; or
//   - its first line is a comment starting with "// Fragment", which tells
//     the reader it does not stand alone (an excerpt of an example module,
//     say), and then it need only parse.
//
// A block that registers a typed handler (OnType) must compile: the
// generic registrations are what readers copy.
type snippet struct {
	where string // file:line
	text  string
	v4    bool // written for Echo v4
}

// fragmentMark starts the first line of a snippet that does not compile
// on its own.
const fragmentMark = "// Fragment"

// markdownSnippets returns the Go fences of a Markdown file that are not
// whole programs.
func markdownSnippets(t *testing.T, path string) []snippet {
	var out []snippet
	for _, f := range fences(t, path) {
		if f.lang == "go" && !isProgram(f) {
			v4 := v4Context.MatchString(f.text) || strings.Contains(f.firstLine(), "Echo v4")
			out = append(out, snippet{fmt.Sprintf("%s:%d", filepath.Base(path), f.line), f.text, v4})
		}
	}
	return out
}

// docSnippets returns the code blocks of the doc comments in the non-test
// files of dir that parse as Go (JSON bodies and tables do not).
func docSnippets(t *testing.T, dir string, v4 bool) []snippet {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []snippet
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		groups := []*ast.CommentGroup{f.Doc}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				groups = append(groups, d.Doc)
			case *ast.GenDecl:
				groups = append(groups, d.Doc)
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						groups = append(groups, ts.Doc)
					}
				}
			}
		}
		var p comment.Parser
		for _, g := range groups {
			if g == nil {
				continue
			}
			for _, b := range p.Parse(g.Text()).Content {
				code, ok := b.(*comment.Code)
				if ok && parsesAsGo(code.Text) {
					where := fmt.Sprintf("%s:%d", relPath(file), fset.Position(g.Pos()).Line)
					out = append(out, snippet{where, code.Text, v4})
				}
			}
		}
	}
	return out
}

func relPath(file string) string {
	rel, err := filepath.Rel(root, file)
	if err != nil {
		return file
	}
	return rel
}

// wrappers are the ways a snippet is placed in a file, tried in order: as
// declarations, as statements of a function returning error, as the items
// of an option list (a registration ending in a comma).
var wrappers = []struct{ before, after string }{
	{"", ""},
	{"func _() error {\n", "\nreturn nil\n}\n"},
	{"var _ = []echoerr.Option{\n", "\n}\n"},
}

// parsesAsGo reports whether text parses in one of the wrappers.
func parsesAsGo(text string) bool {
	_, ok := wrap(text)
	return ok
}

// wrap returns text in the first wrapper it parses in.
func wrap(text string) (string, bool) {
	for _, w := range wrappers {
		src := "package p\n" + w.before + text + w.after
		if _, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution); err == nil {
			return w.before + text + w.after, true
		}
	}
	return "", false
}

// packagesUsed returns the package names a snippet selects from (the X of
// X.Y), comments left out.
func packagesUsed(text string) map[string]bool {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(text)), []byte(text), nil, 0)
	used := map[string]bool{}
	prev, prevLit := token.ILLEGAL, ""
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return used
		}
		if tok == token.PERIOD && prev == token.IDENT {
			used[prevLit] = true
		}
		prev, prevLit = tok, lit
	}
}

// imports maps the package names snippets use to import paths; echoerr,
// echo and middleware depend on the face.
func imports(v4 bool) map[string]string {
	m := map[string]string{
		"context": "context", "embed": "embed", "json": "encoding/json",
		"validator": "github.com/go-playground/validator/v10", "errors": "errors", "fmt": "fmt",
		"fs": "io/fs", "http": "net/http", "io": "io", "os": "os", "slog": "log/slog",
		"sql": "database/sql", "strings": "strings", "template": "html/template", "time": "time",
		"httperr": "github.com/echoerr/echoerr/httperr",
		"echoerr": "github.com/echoerr/echoerr/v5", "echo": "github.com/labstack/echo/v5",
		"middleware": "github.com/labstack/echo/v5/middleware",
	}
	if v4 {
		m["echoerr"] = "github.com/echoerr/echoerr"
		m["echo"] = "github.com/labstack/echo/v4"
		m["middleware"] = "github.com/labstack/echo/v4/middleware"
	}
	return m
}

// stubs are the names snippets assume, each declared unless the snippet
// declares it itself. CTX stands for the face's context type.
var stubs = []struct{ name, decl, uses string }{
	{"e", "var e = echo.New()", ""},
	{"c", "var c CTX", ""},
	{"err", "var err error", ""},
	{"opts", "var opts []echoerr.Option", ""},
	{"h", "var h echo.HTTPErrorHandler", ""},
	{"notFoundPage", "var notFoundPage echoerr.HandlerFunc", ""},
	{"sunsetPage", "var sunsetPage echoerr.HandlerFunc", ""},
	{"apiErrors", "var apiErrors echoerr.HandlerFunc", ""},
	{"tracing", "var tracing echo.MiddlewareFunc", ""},
	{"tracingOrMetrics", "var tracingOrMetrics echo.MiddlewareFunc", ""},
	{"notify", "var notify func(text, stack string)", ""},
	{"pages", "var pages fs.FS", "fs"},
	{"newValidator", "func newValidator() echo.Validator { return nil }", ""},
	{"invalidFields", "func invalidFields(c CTX, errs validator.ValidationErrors) error { return errs }", "validator"},
	{"tracker", "var tracker interface{ Capture(string) }", ""},
	{"InvalidAPIUsage", "type InvalidAPIUsage struct{ Message string; Code int; Payload map[string]any }\n" +
		"func (e *InvalidAPIUsage) Error() string { return e.Message }", ""},
	{"csvRenderer", "type csvRenderer struct{}\n" +
		"func (*csvRenderer) Render(CTX, *echoerr.Error) error { return nil }", ""},
}

// v4Context finds a snippet written for Echo v4: it takes an echo.Context
// by value.
var v4Context = regexp.MustCompile(`(^|[^*\w])echo\.Context\b`)

// source returns the file a snippet compiles as.
func source(sn snippet) (string, error) {
	body, ok := wrap(sn.text)
	if !ok {
		return "", fmt.Errorf("does not parse as Go")
	}
	v4 := sn.v4
	ctx := "*echo.Context"
	if v4 {
		ctx = "echo.Context"
	}
	declared := map[string]bool{}
	if f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+sn.text, parser.SkipObjectResolution); err == nil {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				declared[fd.Name.Name] = true
			} else if gd, ok := d.(*ast.GenDecl); ok {
				for _, s := range gd.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						declared[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							declared[n.Name] = true
						}
					}
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString("package snippet\n\nimport (\n")
	paths := imports(v4)
	used := packagesUsed(sn.text)
	used["echo"], used["echoerr"] = true, true // the stubs use them
	for _, st := range stubs {
		if st.uses != "" && !declared[st.name] {
			used[st.uses] = true
		}
	}
	var names []string
	for name := range used {
		if paths[name] != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "\t%q\n", paths[name])
	}
	if strings.Contains(sn.text, "//go:embed") && !used["embed"] {
		b.WriteString("\t_ \"embed\"\n")
	}
	b.WriteString(")\n\n")
	for _, s := range stubs {
		if !declared[s.name] {
			b.WriteString(strings.ReplaceAll(s.decl, "CTX", ctx) + "\n")
		}
	}
	b.WriteString("\n" + body + "\n")
	return b.String(), nil
}

// TestSnippetsCompileOrAreMarkedFragments: every Go snippet of README.md,
// docs/reference.md and both faces' doc comments compiles as written, or
// says on its first line that it is a fragment (see snippet).
func TestSnippetsCompileOrAreMarkedFragments(t *testing.T) {
	var all []snippet
	all = append(all, markdownSnippets(t, readmePath)...)
	all = append(all, markdownSnippets(t, filepath.Join(root, "docs", "reference.md"))...)
	all = append(all, docSnippets(t, root, true)...)
	all = append(all, docSnippets(t, filepath.Join(root, "v5"), false)...)
	if len(all) < 10 {
		t.Fatalf("found only %d snippets: is the extraction broken?", len(all))
	}

	dir, err := os.MkdirTemp(".", "_snippets-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	pkgOf := map[string]snippet{}
	for i, sn := range all {
		first, _, _ := strings.Cut(strings.TrimSpace(sn.text), "\n")
		if strings.HasPrefix(first, fragmentMark) {
			if strings.Contains(sn.text, "OnType(") {
				t.Errorf("%s registers a typed handler, so it must compile as written, not be a fragment", sn.where)
			}
			if !parsesAsGo(sn.text) {
				t.Errorf("%s: a fragment that does not even parse as Go:\n%s", sn.where, sn.text)
			}
			continue
		}
		src, err := source(sn)
		if err != nil {
			t.Errorf("%s: %v; mark it %q on its first line if it is not meant to compile:\n%s", sn.where, err, fragmentMark, sn.text)
			continue
		}
		pkg := fmt.Sprintf("s%03d", i)
		if err := os.Mkdir(filepath.Join(dir, pkg), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, pkg, "snippet.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		embedFiles(t, filepath.Join(dir, pkg), sn.text)
		pkgOf[pkg] = sn
	}
	// The directory's name starts with "_", which hides it from ./...
	// patterns: the packages are named one by one.
	args := []string{"build", "-buildvcs=false"}
	for pkg := range pkgOf {
		args = append(args, "./"+filepath.ToSlash(filepath.Join(dir, pkg)))
	}
	out, err := exec.Command("go", args...).CombinedOutput()
	if err == nil {
		return
	}
	// Each error line names the snippet's file: sNNN/snippet.go:line:col.
	errs := map[string][]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if m := regexp.MustCompile(`(s\d{3})/snippet\.go:\d+`).FindStringSubmatch(line); m != nil {
			errs[m[1]] = append(errs[m[1]], line)
		}
	}
	failed := 0
	for pkg, lines := range errs {
		sn := pkgOf[pkg]
		failed++
		src, _ := os.ReadFile(filepath.Join(dir, pkg, "snippet.go"))
		t.Errorf("%s does not compile (mark it %q on its first line if it is an excerpt):\n%s\nas compiled:\n%s",
			sn.where, fragmentMark, strings.Join(lines, "\n"), src)
	}
	if failed == 0 {
		t.Fatalf("go build failed:\n%s", out)
	}
}

// embedFiles creates, in dir, a file for each //go:embed pattern of text,
// as the reader's project would have.
func embedFiles(t *testing.T, dir, text string) {
	for _, m := range regexp.MustCompile(`//go:embed (.+)`).FindAllStringSubmatch(text, -1) {
		for _, pattern := range strings.Fields(m[1]) {
			name := filepath.Join(dir, strings.ReplaceAll(pattern, "*", "page"))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte("<p>{{.Description}}</p>"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
