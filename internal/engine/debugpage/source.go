package debugpage

// This file reads the source lines around a stack frame for the debug
// page. It imports no Echo package.

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/echoerr/echoerr/httperr"
)

// Limits of readSource.
const (
	sourceContext   = 3       // lines shown before and after the frame's line
	maxSourceFile   = 8 << 20 // larger files are not read
	maxSourceLine   = 400     // longer lines are cut
	sourceReadLimit = 4 << 20 // bytes read from a file at most
)

// readSources sets the Source of the first maxSourceFrames application
// frames: the lines of the frame's file around its line (sourceContext
// before and after), with redact applied. A frame's source stays nil when
// its file cannot be read as Go source: not an absolute path to a regular
// .go file, larger than maxSourceFile, binary (a NUL byte or invalid UTF-8
// in the lines shown), or shorter than the frame's line (it changed since
// the build).
func readSources(frames []httperr.DebugFrame, redact func(string) string) {
	read := 0
	for i := range frames {
		f := &frames[i]
		if !f.App || read == maxSourceFrames {
			continue
		}
		read++
		f.Source = readSource(f.File, f.Line, sourceContext)
		for j := range f.Source {
			f.Source[j].Text = redact(f.Source[j].Text)
		}
	}
}

// readSource returns lines line-around to line+around of the Go source file
// at path, or nil (see httperr.DebugFrame.Source). It never panics.
func readSource(path string, line, around int) (out []httperr.DebugSourceLine) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	if line < 1 || around < 0 {
		return nil
	}
	file := openSource(path)
	if file == nil {
		return nil
	}
	defer file.Close()
	return excerpt(file, line, around)
}

// openSource opens the file at path if it is an absolute path to a
// regular .go file of at most maxSourceFile bytes, else returns nil.
func openSource(path string) *os.File {
	if !strings.HasSuffix(path, ".go") || !isAbsPath(path) {
		return nil
	}
	// Stat before opening: opening a named pipe or a device could block.
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxSourceFile {
		return nil
	}
	file, err := os.Open(path)
	if err != nil {
		return nil
	}
	return file
}

// excerpt reads lines line-around to line+around of source, of which it
// reads sourceReadLimit bytes at most; nil when those lines are binary (a
// NUL byte or invalid UTF-8) or line is past the end.
func excerpt(source io.Reader, line, around int) (out []httperr.DebugSourceLine) {
	first, last := max(1, line-around), line+around
	r := bufio.NewReaderSize(io.LimitReader(source, sourceReadLimit), 4096)
	current := false
	for n := 1; n <= last; n++ {
		text, end, err := readLine(r, n >= first)
		if err != nil && (n < first || !end && text == nil) {
			break
		}
		if n >= first {
			if bytes.IndexByte(text, 0) >= 0 || !utf8.Valid(text) {
				return nil // binary
			}
			out = append(out, httperr.DebugSourceLine{Number: n, Text: string(text), Current: n == line})
			current = current || n == line
		}
		if err != nil {
			break
		}
	}
	if !current {
		return nil
	}
	return out
}

// readLine reads one line from r. With keep it returns the line's first
// maxSourceLine bytes (cut at a rune boundary, with "…" added when cut),
// without its line break; otherwise it only skips the line. end is false
// when the input ended before the line did; err is the read error (io.EOF
// at the end of the input).
func readLine(r *bufio.Reader, keep bool) (text []byte, end bool, err error) {
	cut := false
	for {
		chunk, err := r.ReadSlice('\n')
		if keep && !cut {
			if room := maxSourceLine - len(text); len(chunk) > room {
				text, cut = append(text, chunk[:room]...), true
			} else {
				text = append(text, chunk...)
			}
		}
		switch {
		case err == nil:
			return finishLine(text, cut), true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return finishLine(text, cut), false, err
		}
	}
}

// finishLine drops a line break and, from a cut line, a partial rune.
func finishLine(text []byte, cut bool) []byte {
	if cut { // drop a rune cut in two, but no more: other invalid bytes are binary
		for i := 1; i < utf8.UTFMax && len(text) > 0 && !utf8.Valid(text); i++ {
			text = text[:len(text)-1]
		}
		return append(text, "…"...)
	}
	text = bytes.TrimSuffix(text, []byte("\n"))
	return bytes.TrimSuffix(text, []byte("\r"))
}
