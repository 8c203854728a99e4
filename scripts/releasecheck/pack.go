package main

import (
	stdzip "archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

// libMod is one library module as the release would tag it.
type libMod struct {
	mod module.Version
	dir string // its directory, relative to the repository's root ("" for the root)
}

// faces are the two faces' directories and the versions they are packed at
// (v1.x.y for the root, v5.x.y for v5/, as the README's Releases says).
var faces = []libMod{
	{mod: module.Version{Path: "github.com/echoerr/echoerr", Version: "v1.0.0"}, dir: ""},
	{mod: module.Version{Path: "github.com/echoerr/echoerr/v5", Version: "v5.0.0"}, dir: "v5"},
}

// libraryModules returns the faces and the repository's modules they
// require (httperr, the engine), at the versions they require. The faces
// must require the same versions, and each required module must be in the
// repository, where the faces' replace lines point.
func libraryModules(root string) ([]libMod, error) {
	mods := append([]libMod(nil), faces...)
	seen := map[string]string{}
	for _, face := range faces {
		f, err := readModFile(filepath.Join(root, face.dir, "go.mod"))
		if err != nil {
			return nil, err
		}
		if f.Module.Mod.Path != face.mod.Path {
			return nil, fmt.Errorf("%s/go.mod: module %s, want %s", face.dir, f.Module.Mod.Path, face.mod.Path)
		}
		for _, r := range f.Require {
			if !strings.HasPrefix(r.Mod.Path, faces[0].mod.Path+"/") {
				continue
			}
			if v, ok := seen[r.Mod.Path]; ok {
				if v != r.Mod.Version {
					return nil, fmt.Errorf("the faces require %s at %s and %s", r.Mod.Path, v, r.Mod.Version)
				}
				continue
			}
			seen[r.Mod.Path] = r.Mod.Version
			dir := strings.TrimPrefix(r.Mod.Path, faces[0].mod.Path+"/")
			mods = append(mods, libMod{mod: r.Mod, dir: dir})
		}
	}
	return mods, nil
}

func readModFile(file string) (*modfile.File, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return modfile.Parse(file, data, nil)
}

// pack writes each module's zip, go.mod and info into proxy, laid out as a
// module proxy serves them (GOPROXY=file://proxy), and prints the zips'
// sizes. It fails when a zip reaches MaxZip.
func pack(root, proxy string, mods []libMod) error {
	rev, err := revision(root)
	if err != nil {
		return err
	}
	var tooBig []string
	for _, m := range mods {
		size, err := packOne(root, rev, proxy, m)
		if err != nil {
			return fmt.Errorf("pack %s: %w", m.mod, err)
		}
		fmt.Printf("release-check: %-45s %-7s zip %7.1f KiB\n", m.mod.Path, m.mod.Version, float64(size)/1024)
		if size >= MaxZip {
			tooBig = append(tooBig, m.mod.Path)
		}
	}
	if len(tooBig) > 0 {
		return fmt.Errorf("module zip of %s reaches 1 MiB: every user downloads it", strings.Join(tooBig, ", "))
	}
	return nil
}

// revision is the commit to pack: HEAD, or a commit of HEAD with the
// uncommitted changes to tracked files (git stash create), which changes
// neither the work tree nor the stash.
func revision(root string) (string, error) {
	// The identity is only for the case where git has none configured.
	out, err := gitOutput(root, "-c", "user.name=release-check", "-c", "user.email=release-check@localhost", "stash", "create")
	if err != nil {
		return "", err
	}
	if rev := strings.TrimSpace(out); rev != "" {
		return rev, nil
	}
	return "HEAD", nil
}

// gitOutput runs git in dir; see command.
func gitOutput(dir string, args ...string) (string, error) {
	return command(dir, nil, "git", args...)
}

// packOne writes m's files into proxy and returns its zip's size.
func packOne(root, rev, proxy string, m libMod) (int64, error) {
	escaped, err := module.EscapePath(m.mod.Path)
	if err != nil {
		return 0, err
	}
	dir := filepath.Join(proxy, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	files, err := archived(root, rev, m.dir)
	if err != nil {
		return 0, err
	}
	var z bytes.Buffer
	if err := zip.Create(&z, m.mod, files); err != nil {
		return 0, err
	}
	goMod, err := gitOutput(root, "show", rev+":"+path.Join(m.dir, "go.mod"))
	if err != nil {
		return 0, err
	}
	info, err := json.Marshal(map[string]string{"Version": m.mod.Version})
	if err != nil {
		return 0, err
	}
	out := map[string][]byte{
		m.mod.Version + ".zip":  z.Bytes(),
		m.mod.Version + ".mod":  []byte(goMod),
		m.mod.Version + ".info": info,
		"list":                  []byte(m.mod.Version + "\n"),
	}
	for name, data := range out {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return 0, err
		}
	}
	return int64(z.Len()), nil
}

// archived returns the files of subdir (of the whole tree for "") that
// git archive writes for rev, named relative to subdir, as the go command
// reads a module from git, and as zip.CreateFromVCS does; that function
// does not take a linked work tree (git worktree), whose .git is a file.
// A module in a subdirectory without a LICENSE gets the root's, as the go
// command gives it. zip.Create then leaves out nested modules.
func archived(root, rev, subdir string) ([]zip.File, error) {
	args := []string{"-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive", "--format=zip", rev}
	if subdir != "" {
		args = append(args, subdir)
	}
	out, err := gitOutput(root, args...)
	if err != nil {
		return nil, err
	}
	zr, err := stdzip.NewReader(strings.NewReader(out), int64(len(out)))
	if err != nil {
		return nil, err
	}
	var files []zip.File
	haveLicense := false
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, subdir)
		name = strings.TrimPrefix(name, "/")
		if !ok || name == "" || strings.HasSuffix(name, "/") {
			continue
		}
		files = append(files, zipFile{name: name, f: f})
		haveLicense = haveLicense || name == "LICENSE"
	}
	if !haveLicense && subdir != "" {
		if license, err := gitOutput(root, "cat-file", "blob", rev+":LICENSE"); err == nil {
			files = append(files, dataFile{name: "LICENSE", data: []byte(license)})
		}
	}
	return files, nil
}

// zipFile is a file of git's archive.
type zipFile struct {
	name string
	f    *stdzip.File
}

func (f zipFile) Path() string                 { return f.name }
func (f zipFile) Lstat() (os.FileInfo, error)  { return f.f.FileInfo(), nil }
func (f zipFile) Open() (io.ReadCloser, error) { return f.f.Open() }

// dataFile is a file held in memory.
type dataFile struct {
	name string
	data []byte
}

func (f dataFile) Path() string                 { return f.name }
func (f dataFile) Lstat() (os.FileInfo, error)  { return dataInfo{f}, nil }
func (f dataFile) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f.data)), nil }

// dataInfo is a dataFile's os.FileInfo.
type dataInfo struct{ f dataFile }

func (i dataInfo) Name() string       { return path.Base(i.f.name) }
func (i dataInfo) Size() int64        { return int64(len(i.f.data)) }
func (i dataInfo) Mode() os.FileMode  { return 0o644 }
func (i dataInfo) ModTime() time.Time { return time.Time{} }
func (i dataInfo) IsDir() bool        { return false }
func (i dataInfo) Sys() any           { return nil }
