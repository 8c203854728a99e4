package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadmeProgramsTakesWholeProgramsOnly(t *testing.T) {
	md := "# t\n\n```go\npackage main\n\nfunc main() {}\n```\n\n" +
		"```go\ne.HTTPErrorHandler = echoerr.New()\n```\n\n" +
		"1. item\n\n   ```go\n   package main\n\n   func main() {}\n   ```\n\n" +
		"```sh\npackage main\n```\n"
	file := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(file, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readmePrograms(file)
	if err != nil {
		t.Fatal(err)
	}
	want := []program{
		{line: 3, text: "package main\n\nfunc main() {}\n"},
		{line: 15, text: "package main\n\nfunc main() {}\n"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d programs %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("program %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestLibraryModulesAreTheFacesAndWhatTheyRequire(t *testing.T) {
	mods, err := libraryModules("../..")
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{}
	for _, m := range mods {
		dirs[m.mod.Path] = m.dir
	}
	want := map[string]string{
		"github.com/echoerr/echoerr":                 "",
		"github.com/echoerr/echoerr/v5":              "v5",
		"github.com/echoerr/echoerr/httperr":         "httperr",
		"github.com/echoerr/echoerr/internal/engine": "internal/engine",
	}
	for p, dir := range want {
		if got, ok := dirs[p]; !ok || got != dir {
			t.Errorf("%s: dir %q (listed: %v), want %q", p, got, ok, dir)
		}
	}
	if len(mods) != len(want) {
		t.Errorf("got %d modules, want %d", len(mods), len(want))
	}
}
