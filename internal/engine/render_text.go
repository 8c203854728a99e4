package engine

import (
	"strconv"
	"unicode/utf8"
)

// MIMETextPlain is the media type of the text renderer.
const MIMETextPlain = "text/plain"

// Text returns a Renderer that writes text/plain for terminals:
//
//	404 Not Found
//
//	The requested URL was not found on this server.
//
// In debug mode the request line and headers, the error chain and the
// stack follow. Control characters other than newline and tab, and invalid
// UTF-8, are replaced with U+FFFD, so an error message cannot send escape
// sequences to a terminal.
func Text() Renderer {
	return &textRenderer{}
}

type textRenderer struct {
	pool bufferPool
}

func (r *textRenderer) contentType() string { return MIMETextPlain + "; charset=UTF-8" }

func (r *textRenderer) Render(x Ctx, e *Error) error {
	buf := r.pool.get()
	defer r.pool.put(buf)
	b := strconv.AppendInt(*buf, int64(e.Code), 10)
	b = append(b, ' ')
	b = appendText(b, e.Name)
	b = append(b, '\n', '\n')
	b = appendText(b, e.Description)
	b = append(b, '\n')
	if d := e.Debug; d != nil {
		b = append(b, "\nRequest:\n  "...)
		b = appendText(b, d.Request)
		for _, h := range d.Header {
			b = append(b, "\n  "...)
			b = appendText(b, h[0])
			b = append(b, ": "...)
			b = appendText(b, h[1])
		}
		b = append(b, "\n\nError chain:\n"...)
		for i, l := range d.Chain {
			b = append(b, "  "...)
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, ". "...)
			b = appendText(b, l.Type)
			b = append(b, ": "...)
			b = appendText(b, l.Message)
			b = append(b, '\n')
		}
		if d.Stack != "" {
			b = append(b, "\nStack:\n"...)
			b = appendText(b, d.Stack)
			b = append(b, '\n')
		}
	}
	*buf = b
	return Send(x, e.Code, MIMETextPlain+"; charset=UTF-8", b)
}

// MediaTypes returns the media type of the text renderer.
func (r *textRenderer) MediaTypes() []string { return []string{MIMETextPlain} }

// appendText appends s to b, with control characters other than newline
// and tab, and invalid UTF-8, replaced by U+FFFD.
func appendText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r <= 0x9f) {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}
