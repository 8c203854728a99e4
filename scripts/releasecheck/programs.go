package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// program is one complete Go program of the README.
type program struct {
	line int    // the line of its opening fence, counted from 1
	text string // its source
}

// readmePrograms returns the README's ```go blocks that have a package
// main clause. A fence may be indented (inside a list item); its content
// loses the same indentation.
func readmePrograms(file string) ([]program, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var (
		out    []program
		open   bool
		isGo   bool
		start  int
		indent string
		body   strings.Builder
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case !open && strings.HasPrefix(trimmed, "```"):
			open, start, indent = true, n, line[:len(line)-len(trimmed)]
			isGo = strings.HasPrefix(strings.TrimPrefix(trimmed, "```")+" ", "go ")
			body.Reset()
		case open && strings.HasPrefix(trimmed, "```") && strings.Trim(trimmed, "`") == "":
			open = false
			if isGo && isMain.MatchString(body.String()) {
				out = append(out, program{line: start, text: body.String()})
			}
		case open:
			body.WriteString(strings.TrimPrefix(line, indent) + "\n")
		}
	}
	return out, sc.Err()
}

// isMain matches a package main clause.
var isMain = regexp.MustCompile(`(?m)^package main\s*$`)

// userEnv is the environment of a user's go command, with the packed
// modules ahead of the configured proxy, a module cache of its own under
// tmp, no workspace, and the packed modules kept out of the checksum
// database, which does not know them.
func userEnv(tmp, proxy string) ([]string, error) {
	out, err := exec.Command("go", "env", "GOPROXY", "GONOSUMDB", "GOFLAGS").Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	v := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(v) != 3 {
		return nil, fmt.Errorf("go env: unexpected output %q", out)
	}
	goproxy, nosumdb, goflags := v[0], v[1], v[2]
	if nosumdb != "" {
		nosumdb += ","
	}
	return append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+","+goproxy,
		"GONOSUMDB="+nosumdb+faces[0].mod.Path,
		"GOFLAGS="+strings.TrimSpace(goflags+" -modcacherw"),
		"GOMODCACHE="+filepath.Join(tmp, "modcache"),
		"GOWORK=off",
		"GOTOOLCHAIN=local",
	), nil
}

// echoMajor matches the Echo major version a program imports.
var echoMajor = regexp.MustCompile(`"github.com/labstack/echo/(v\d+)"`)

// build builds p in a fresh module in dir as a user would: go mod init, go
// mod tidy, Echo at its newest release, go build. It then checks that each
// library module resolved to the packed version, and prints the versions.
func build(dir string, p program, env []string, mods []libMod) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(p.text), 0o644); err != nil {
		return err
	}
	m := echoMajor.FindStringSubmatch(p.text)
	if m == nil {
		return fmt.Errorf("the program imports no github.com/labstack/echo/vN")
	}
	steps := [][]string{
		{"mod", "init", "example.com/" + filepath.Base(dir)},
		{"mod", "tidy"},
		{"get", "github.com/labstack/echo/" + m[1] + "@latest"},
		{"mod", "tidy"},
		{"build", "-o", os.DevNull, "."},
	}
	for _, args := range steps {
		if _, err := goCmd(dir, env, args...); err != nil {
			return err
		}
	}
	return checkVersions(dir, env, p, mods)
}

// checkVersions checks that the program's module has no replace directive
// and that each library module it uses is at the packed version, and prints
// the versions of those and of Echo.
func checkVersions(dir string, env []string, p program, mods []libMod) error {
	out, err := goCmd(dir, env, "list", "-m", "-f", "{{.Path}} {{.Version}}{{if .Replace}} replaced{{end}}", "all")
	if err != nil {
		return err
	}
	want := map[string]string{}
	for _, m := range mods {
		want[m.mod.Path] = m.mod.Version
	}
	var used []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 {
			return fmt.Errorf("%s is replaced", f[0])
		}
		if v, ok := want[f[0]]; ok && len(f) == 2 && f[1] != v {
			return fmt.Errorf("%s resolved to %s, not the packed %s", f[0], f[1], v)
		}
		if _, ok := want[f[0]]; ok || strings.HasPrefix(f[0], "github.com/labstack/echo/") {
			used = append(used, strings.Join(f, "@"))
		}
	}
	fmt.Printf("release-check: README.md:%d builds with %s\n", p.line, strings.Join(used, " "))
	return nil
}

// goCmd runs the go command in dir with env; see command.
func goCmd(dir string, env []string, args ...string) (string, error) {
	return command(dir, env, "go", args...)
}

// command runs name in dir, with env (nil: this process's environment),
// and returns its standard output; its error carries the standard error.
func command(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}
