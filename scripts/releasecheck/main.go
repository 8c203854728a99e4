// Command releasecheck tries the install path a user of echoerr takes,
// before anything is tagged. scripts/release-check runs it from the
// repository's root (CI does too):
//
//	scripts/release-check
//
// It packs each library module (the two faces, httperr and the engine) as
// the module proxy would, with golang.org/x/mod/zip from what git would
// archive, into a file-system module proxy in a temporary directory. The
// faces are packed as v1.0.0 and v5.0.0; httperr and the engine at the
// versions the faces' go.mod files require. It prints each zip's size and
// fails when one reaches 1 MiB (MaxZip): every user of a face downloads it.
//
// Then it builds every complete program of README.md (a ```go block with a
// package main clause) as a user would: alone in a fresh module, with
// go mod tidy, no replace directive and no workspace, and Echo at the newest
// release the proxy serves (go get echo@latest). GOPROXY is the packed
// modules ahead of the configured proxy; the module cache is a temporary
// one, so that nothing packed reaches the real cache.
//
// Uncommitted changes to tracked files are packed too (git stash create);
// untracked files are not, as they would not be in a tag.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// MaxZip is the size a module zip must stay under.
const MaxZip = 1 << 20

func main() {
	root := flag.String("root", ".", "the repository's root")
	keep := flag.Bool("keep", false, "keep the temporary directory (proxy, module cache, programs)")
	flag.Parse()
	if err := run(*root, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "release-check:", err)
		os.Exit(1)
	}
	fmt.Println("release-check: ok")
}

func run(root string, keep bool) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "release-check-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("release-check: keeping", tmp)
	} else {
		defer removeAll(tmp)
	}
	mods, err := libraryModules(root)
	if err != nil {
		return err
	}
	proxy := filepath.Join(tmp, "proxy")
	if err := pack(root, proxy, mods); err != nil {
		return err
	}
	programs, err := readmePrograms(filepath.Join(root, "README.md"))
	if err != nil {
		return err
	}
	if len(programs) == 0 {
		return fmt.Errorf("README.md has no complete Go program (a go block with package main)")
	}
	env, err := userEnv(tmp, proxy)
	if err != nil {
		return err
	}
	for i, p := range programs {
		if err := build(filepath.Join(tmp, fmt.Sprintf("program%d", i+1)), p, env, mods); err != nil {
			return fmt.Errorf("README.md:%d: %w", p.line, err)
		}
	}
	return nil
}

// removeAll removes dir, module cache included (go makes it read-only
// unless -modcacherw, which userEnv sets).
func removeAll(dir string) {
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "release-check:", err)
	}
}
