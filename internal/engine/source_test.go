package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFile writes a file in a test's temporary directory and returns its
// path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// numbered is a source file of n lines "line 1" ... "line n".
func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String()
}

func TestReadSourceAroundTheLine(t *testing.T) {
	path := writeFile(t, "main.go", numbered(20))
	assert.Equal(t, []DebugSourceLine{
		{7, "line 7", false}, {8, "line 8", false}, {9, "line 9", false}, {10, "line 10", true},
		{11, "line 11", false}, {12, "line 12", false}, {13, "line 13", false},
	}, readSource(path, 10, 3))
	assert.Equal(t, []DebugSourceLine{{1, "line 1", true}, {2, "line 2", false}}, readSource(path, 1, 1), "at the start")
	assert.Equal(t, []DebugSourceLine{{19, "line 19", false}, {20, "line 20", true}}, readSource(path, 20, 1), "at the end")
	assert.Nil(t, readSource(path, 21, 3), "a line past the end: the file changed since the build")
	assert.Nil(t, readSource(path, 0, 3))
}

func TestReadSourceLineEnds(t *testing.T) {
	crlf := writeFile(t, "crlf.go", "a\r\nb\r\nc")
	assert.Equal(t, []DebugSourceLine{{1, "a", false}, {2, "b", false}, {3, "c", true}}, readSource(crlf, 3, 2),
		"CRLF, and a last line without a line break")
}

func TestReadSourceCutsLongLines(t *testing.T) {
	long := strings.Repeat("é", maxSourceLine) // 2 bytes each: the cut falls inside a rune or between two
	path := writeFile(t, "long.go", "package x\n"+long+"\n"+strings.Repeat("x", 100_000)+"\nnext\n")
	lines := readSource(path, 2, 2)
	require.Len(t, lines, 4)
	assert.True(t, strings.HasSuffix(lines[1].Text, "…"))
	assert.LessOrEqual(t, len(lines[1].Text), maxSourceLine+len("…"))
	assert.True(t, strings.HasPrefix(long, strings.TrimSuffix(lines[1].Text, "…")), "cut at a rune boundary")
	assert.Equal(t, strings.Repeat("x", maxSourceLine)+"…", lines[2].Text)
	assert.Equal(t, DebugSourceLine{4, "next", false}, lines[3], "the line after a long one")

	path = writeFile(t, "skip.go", strings.Repeat("y", 100_000)+"\nwanted\n")
	assert.Equal(t, []DebugSourceLine{{2, "wanted", true}}, readSource(path, 2, 0), "a long line before the excerpt is skipped")
}

func TestReadSourceRefusesWhatIsNotGoSource(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "dir.go"), 0o700))
	huge := filepath.Join(dir, "huge.go")
	f, err := os.Create(huge)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(maxSourceFile+1)) // sparse: costs no disk
	require.NoError(t, f.Close())
	cut := writeFile(t, "cut.go", strings.Repeat("z", 30)+"\xff\xfe\xfd"+strings.Repeat("z", maxSourceLine)+"\n")

	for name, path := range map[string]string{
		"missing":                     filepath.Join(dir, "missing.go"),
		"a directory":                 filepath.Join(dir, "dir.go"),
		"larger than the limit":       huge,
		"not .go":                     writeFile(t, "notes.txt", "line 1\n"),
		"relative":                    "main.go",
		"NUL bytes":                   writeFile(t, "nul.go", "package x\nvar b = \"\x00\"\n"),
		"invalid UTF-8":               writeFile(t, "bad.go", "package x\n\xff\xfe\n"),
		"invalid UTF-8 in a cut line": cut,
		"empty":                       writeFile(t, "empty.go", ""),
		"empty path":                  "",
	} {
		assert.Nil(t, readSource(path, 1, 3), name)
	}
}

func TestDebugFrameSourceOnlyForApplicationFrames(t *testing.T) {
	path := writeFile(t, "app.go", numbered(9))
	assert.Len(t, DebugFrame{Function: "main.a", File: path, Line: 5, App: true}.Source(), 7)
	assert.Nil(t, DebugFrame{Function: "main.a", File: path, Line: 5}.Source(), "a library frame")
	assert.Nil(t, DebugFrame{Function: "main.a", File: path, Line: 5, App: true, noSource: true}.Source(), "past maxSourceFrames")
}
