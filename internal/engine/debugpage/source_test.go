package debugpage

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/echoerr/echoerr/httperr"
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

func TestReadSourceReadsTheLinesAroundTheFramesLine(t *testing.T) {
	path := writeFile(t, "main.go", numbered(20))
	assert.Equal(t, []httperr.DebugSourceLine{
		{Number: 7, Text: "line 7", Current: false}, {Number: 8, Text: "line 8", Current: false}, {Number: 9, Text: "line 9", Current: false}, {Number: 10, Text: "line 10", Current: true},
		{Number: 11, Text: "line 11", Current: false}, {Number: 12, Text: "line 12", Current: false}, {Number: 13, Text: "line 13", Current: false},
	}, readSource(path, 10, 3))
	assert.Equal(t, []httperr.DebugSourceLine{{Number: 1, Text: "line 1", Current: true}, {Number: 2, Text: "line 2", Current: false}}, readSource(path, 1, 1), "at the start")
	assert.Equal(t, []httperr.DebugSourceLine{{Number: 19, Text: "line 19", Current: false}, {Number: 20, Text: "line 20", Current: true}}, readSource(path, 20, 1), "at the end")
	assert.Nil(t, readSource(path, 21, 3), "a line past the end: the file changed since the build")
	assert.Nil(t, readSource(path, 0, 3))
}

func TestReadSourceReadsCRLFLinesAndALastLineWithoutABreak(t *testing.T) {
	crlf := writeFile(t, "crlf.go", "a\r\nb\r\nc")
	assert.Equal(t, []httperr.DebugSourceLine{{Number: 1, Text: "a", Current: false}, {Number: 2, Text: "b", Current: false}, {Number: 3, Text: "c", Current: true}}, readSource(crlf, 3, 2),
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
	assert.Equal(t, httperr.DebugSourceLine{Number: 4, Text: "next", Current: false}, lines[3], "the line after a long one")

	path = writeFile(t, "skip.go", strings.Repeat("y", 100_000)+"\nwanted\n")
	assert.Equal(t, []httperr.DebugSourceLine{{Number: 2, Text: "wanted", Current: true}}, readSource(path, 2, 0), "a long line before the excerpt is skipped")
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

func TestReadSourcesReadsTheFirstApplicationFramesOnly(t *testing.T) {
	path := writeFile(t, "app.go", numbered(9))
	frames := []httperr.DebugFrame{{Function: "main.a", File: path, Line: 5}} // a library frame
	for range maxSourceFrames + 1 {
		frames = append(frames, httperr.DebugFrame{Function: "main.a", File: path, Line: 5, App: true})
	}
	readSources(frames, strings.ToUpper)
	assert.Nil(t, frames[0].Source, "a library frame")
	for _, f := range frames[1 : 1+maxSourceFrames] {
		require.Len(t, f.Source, 7)
		assert.Equal(t, httperr.DebugSourceLine{Number: 5, Text: "LINE 5", Current: true}, f.Source[3], "redacted by the function given")
	}
	assert.Nil(t, frames[1+maxSourceFrames].Source, "past maxSourceFrames")
}
