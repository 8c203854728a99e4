package readme

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// root is the repository's root, seen from this module's directory.
const root = "../.."

// readmePath is the README the tests read.
var readmePath = filepath.Join(root, "README.md")

// fence is one fenced code block of a Markdown file.
type fence struct {
	line int    // the line of the opening fence, counted from 1
	lang string // the info string's first word: "go", "sh", ...
	text string // the block's content, without the fences
}

// firstLine is the block's first line, which names it in failures.
func (f fence) firstLine() string {
	first, _, _ := strings.Cut(f.text, "\n")
	return first
}

// fences returns the fenced code blocks of the Markdown file at path.
// A fence may be indented (inside a list item); its content loses the
// same indentation.
func fences(t *testing.T, path string) []fence {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		out    []fence
		open   *fence
		indent string
		body   strings.Builder
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		if open == nil {
			if strings.HasPrefix(trimmed, "```") {
				lang, _, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), " ")
				open = &fence{line: n, lang: lang}
				indent = line[:len(line)-len(trimmed)]
				body.Reset()
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") && strings.Trim(trimmed, "`") == "" {
			open.text = body.String()
			out = append(out, *open)
			open = nil
			continue
		}
		body.WriteString(strings.TrimPrefix(line, indent))
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if open != nil {
		t.Fatalf("%s:%d: code block never closed", path, open.line)
	}
	return out
}

// isProgram reports whether a Go block is a complete program: it has a
// package main clause.
func isProgram(f fence) bool {
	if f.lang != "go" {
		return false
	}
	for _, line := range strings.Split(f.text, "\n") {
		if strings.TrimSpace(line) == "package main" {
			return true
		}
	}
	return false
}

// TestReadmeProgramsBuild writes each Go block of README.md that is a
// complete program (it says package main) to a directory of its own inside
// this module, so that this module's requirements apply, and builds it. It
// fails, naming the block's line and first line, for a program that does
// not build or is not gofmt-formatted, and fails when the README has no
// complete program at all: the README promises one that compiles as
// pasted.
func TestReadmeProgramsBuild(t *testing.T) {
	var programs []fence
	for _, f := range fences(t, readmePath) {
		if isProgram(f) {
			programs = append(programs, f)
		}
	}
	if len(programs) == 0 {
		t.Fatal("README.md has no complete Go program (a ```go block with package main)")
	}

	// A name starting with "_" keeps a directory left behind by a killed
	// run out of this module's ./... patterns (vet, staticcheck).
	dir, err := os.MkdirTemp(".", "_readme-build-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := t.TempDir()

	for i, p := range programs {
		name := fmt.Sprintf("README.md:%d", p.line)
		t.Run(name, func(t *testing.T) {
			if formatted, err := format.Source([]byte(p.text)); err != nil {
				t.Fatalf("the program at %s (first line %q) does not parse:\n%v", name, p.firstLine(), err)
			} else if string(formatted) != p.text {
				t.Errorf("the program at %s (first line %q) is not gofmt-formatted", name, p.firstLine())
			}
			pkg := filepath.Join(dir, fmt.Sprintf("program%d", i+1))
			if err := os.Mkdir(pkg, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(p.text), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("go", "build", "-buildvcs=false", "-o", filepath.Join(bin, fmt.Sprintf("program%d", i+1)),
				"./"+filepath.ToSlash(pkg))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("the program at %s (first line %q) does not build: %v\n%s(line 1 of main.go is line %d of README.md)",
					name, p.firstLine(), err, out, p.line+1)
			}
		})
	}
}

// exportedNames returns the exported package-level names declared in the
// non-test Go files of the package in dir.
func exportedNames(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							names[s.Name.Name] = true
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								names[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	return names
}

// TestReadmeNamesExist checks that every echoerr.Name the README mentions,
// in code and in prose, is declared by the Echo v4 face (the root) or the
// Echo v5 face (v5/): snippets that are not complete programs are not
// built, but they cannot name an API that does not exist.
func TestReadmeNamesExist(t *testing.T) {
	v4, v5 := exportedNames(t, root), exportedNames(t, filepath.Join(root, "v5"))
	if !v4["New"] || !v5["New"] {
		t.Fatal("found no New in the faces' sources: is the root still the v4 face, and v5/ the v5 face?")
	}
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bechoerr\.([A-Z]\w*)`).FindAllStringSubmatch(string(data), -1) {
		name := m[1]
		if seen[name] {
			continue
		}
		seen[name] = true
		if !v4[name] && !v5[name] {
			t.Errorf("README.md mentions echoerr.%s, which neither face declares", name)
		}
	}
	if len(seen) == 0 {
		t.Error("README.md mentions no echoerr name at all")
	}
}

// workspaceDirs returns the module directories the root go.work uses,
// as written there ("./v5", ".").
func workspaceDirs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "go.work"))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	inUse := false
	for _, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "//")
		line = strings.TrimSpace(line)
		switch {
		case line == "use (":
			inUse = true
		case inUse && line == ")":
			inUse = false
		case inUse && line != "":
			dirs = append(dirs, filepath.Clean(line))
		case strings.HasPrefix(line, "use "):
			dirs = append(dirs, filepath.Clean(strings.TrimSpace(strings.TrimPrefix(line, "use "))))
		}
	}
	return dirs
}

// isMainPackage reports whether dir holds a Go package main with a func
// main, in its non-test files.
func isMainPackage(t *testing.T, dir string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name != "main" {
			return false
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" {
				return true
			}
		}
	}
	return false
}

// TestReadmeRunCommands checks every "go run ./_examples/<x>" of the
// README, which are written to be run from the repository's root: <x> is
// a main package, and a module of the root go.work, so that the command
// resolves from the root. The README's first lines must offer one.
func TestReadmeRunCommands(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	work := workspaceDirs(t)
	runs := regexp.MustCompile(`go run \./(_examples/[\w.-]+)`).FindAllStringSubmatch(string(data), -1)
	if len(runs) == 0 {
		t.Fatal("README.md has no go run ./_examples/... command")
	}
	checked := map[string]bool{}
	for _, m := range runs {
		rel := m[1]
		if checked[rel] {
			continue
		}
		checked[rel] = true
		dir := filepath.Join(root, rel)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			t.Errorf("README.md: go run ./%s: no such directory", rel)
			continue
		}
		if !isMainPackage(t, dir) {
			t.Errorf("README.md: go run ./%s: not a main package with a func main", rel)
		}
		if !slices.Contains(work, filepath.Clean(rel)) {
			t.Errorf("README.md: go run ./%s: not a module of the root go.work, so it does not run from the root", rel)
		}
	}
	head := strings.Join(strings.SplitN(string(data), "\n", 15)[:14], "\n")
	if !strings.Contains(head, "go run ./_examples/") {
		t.Error("README.md's first lines have no demo command (go run ./_examples/...)")
	}
}

// testCommand returns the README's test command as CI takes it: the first
// line that starts with "go test ", without a trailing # comment.
func testCommand(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "go test ") {
			if i >= 15 {
				t.Errorf("README.md's test command is on line %d; it belongs in the first lines", i+1)
			}
			cmd, _, _ := strings.Cut(line, "#")
			return strings.TrimSpace(cmd)
		}
	}
	t.Fatal(`README.md has no line starting with "go test "; CI runs the first one`)
	return ""
}

// moduleDirs returns the directories, relative to the root, that hold a
// go.mod: every module of the repository.
func moduleDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" ||
			strings.HasPrefix(d.Name(), "_readme-build-")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == "go.mod" {
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			dirs = append(dirs, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestReadmeTestCommandCoversEveryModule checks the README's test command,
// which CI runs as it is written: it tests the workspace's modules
// (github.com/echoerr/echoerr/... in the root go.work), and every module
// that is not in the workspace has a "go -C <dir> test ./..." of its own.
// A new module listed in neither place fails here.
func TestReadmeTestCommandCoversEveryModule(t *testing.T) {
	cmd := testCommand(t)
	parts := strings.Split(cmd, "&&")
	if !slices.Contains(strings.Fields(parts[0]), "github.com/echoerr/echoerr/...") {
		t.Errorf("README.md's test command %q does not start with go test github.com/echoerr/echoerr/...", cmd)
	}
	own := map[string]bool{} // directories tested with go -C <dir> test ./...
	for _, p := range parts[1:] {
		f := strings.Fields(p)
		if len(f) == 5 && f[0] == "go" && f[1] == "-C" && f[3] == "test" && f[4] == "./..." {
			own[filepath.Clean(f[2])] = true
			continue
		}
		t.Errorf("README.md's test command: %q is not of the form go -C <dir> test ./...", strings.TrimSpace(p))
	}
	work := workspaceDirs(t)
	for _, dir := range moduleDirs(t) {
		if slices.Contains(work, dir) || own[dir] {
			continue
		}
		t.Errorf("the module in %s is neither in the root go.work nor tested by a go -C %s test ./... of the README's test command", dir, dir)
	}
	for dir := range own {
		if _, err := os.Stat(filepath.Join(root, dir, "go.mod")); err != nil {
			t.Errorf("README.md's test command: go -C %s: no module there", dir)
		}
	}
}
