package engine

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MIMEApplicationJSON is the media type of the JSON renderer.
const MIMEApplicationJSON = "application/json"

// JSON returns a Renderer that writes application/json:
// {"code":404,"name":"Not Found","description":"..."}, then the Extensions
// as top-level members, then "debug" in debug mode.
func JSON() Renderer { return &jsonRenderer{} }

type jsonRenderer struct {
	pool bufferPool
}

func (r *jsonRenderer) contentType() string  { return MIMEApplicationJSON }
func (r *jsonRenderer) MediaTypes() []string { return []string{MIMEApplicationJSON} }

func (r *jsonRenderer) Render(x Ctx, e *Error) error {
	buf := r.pool.get()
	defer r.pool.put(buf)
	b := appendErrorJSON(*buf, e)
	*buf = b // keep the grown slice for the pool
	return Send(x, e.Code, MIMEApplicationJSON, append(b, '\n'))
}

// appendErrorJSON appends the JSON object for e to b.
func appendErrorJSON(b []byte, e *Error) []byte {
	b = append(b, `{"code":`...)
	b = strconv.AppendInt(b, int64(e.Code), 10)
	b = append(b, `,"name":`...)
	b = appendJSONText(b, e.Name, StatusName(e.Code))
	b = append(b, `,"description":`...)
	b = appendJSONText(b, e.Description, StatusDescription(e.Code))
	b = appendMembers(b, e, "code", "name", "description")
	return append(b, '}')
}

// appendJSONText appends s as a JSON string. The status's own name and
// description, which most errors carry, contain nothing JSON escapes
// (TestDefaultTextNeedsNoJSONEscaping): when s is the default text given,
// it is copied as it is (BenchmarkJSON404).
func appendJSONText(b []byte, s, defaultText string) []byte {
	if s != defaultText {
		return appendJSONString(b, s)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendMembers appends e's extensions as JSON members, in key order and
// without the reserved keys in any letter case (a JSON decoder in Go
// matches keys case-insensitively, so "Code" would shadow "code"), then the
// debug detail in debug mode. A value that cannot be encoded is left out.
func appendMembers(b []byte, e *Error, reserved ...string) []byte {
	if len(e.Extensions) > 0 {
		keys := make([]string, 0, len(e.Extensions))
		for k := range e.Extensions {
			if !isReserved(k, reserved) && !(e.Debug != nil && strings.EqualFold(k, "debug")) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, err := json.Marshal(e.Extensions[k])
			if err != nil {
				continue
			}
			b = append(b, ',')
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = append(b, v...)
		}
	}
	if e.Debug != nil {
		if v, err := json.Marshal(e.Debug); err == nil {
			b = append(b, `,"debug":`...)
			b = append(b, v...)
		}
	}
	return b
}

func isReserved(key string, reserved []string) bool {
	for _, r := range reserved {
		if strings.EqualFold(key, r) {
			return true
		}
	}
	return false
}

const hexDigits = "0123456789abcdef"

// jsonSafeLo and jsonSafeHi mark, bit by bit, the ASCII bytes below and from
// 64 that a JSON string holds as they are: everything printable but '"',
// '\\' and the HTML-sensitive '<', '>' and '&' (encoding/json's htmlSafeSet).
// Testing a bit instead of six comparisons per byte makes escaping the
// usual sentence several times cheaper (BenchmarkJSON404). Writing the
// string into the pooled buffer, unlike json.Marshal, allocates nothing:
// see bufferPool for what the load test sees of it.
const (
	jsonSafeLo uint64 = 0xFFFFFFFF00000000 &^ (1<<'"' | 1<<'&' | 1<<'<' | 1<<'>')
	jsonSafeHi uint64 = 0xFFFFFFFFFFFFFFFF &^ (1 << ('\\' - 64))
)

func jsonSafe(c byte) bool {
	if c < 64 {
		return jsonSafeLo>>c&1 != 0
	}
	return jsonSafeHi>>(c-64)&1 != 0
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes by default: HTML-sensitive characters, U+2028 and U+2029 are
// escaped, and invalid UTF-8 becomes U+FFFD. It is encoding/json's string
// encoder without the reflection.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		// A run of bytes that need no escaping is copied at once.
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf && jsonSafe(s[j]) {
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = appendASCIIEscape(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// appendASCIIEscape appends the JSON escape of the ASCII byte c, one that
// JSON or HTML needs escaped.
func appendASCIIEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
