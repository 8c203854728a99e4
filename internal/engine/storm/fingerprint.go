package storm

import (
	"reflect"
	"strconv"

	"github.com/echoerr/echoerr/httperr"
)

// maxText bounds the part of the innermost link's text a fingerprint reads;
// maxOwn, the length of an error's own fingerprint kept as it is.
const (
	maxText = 4096
	maxOwn  = 64
)

// Fingerprint returns the fingerprint of an error of status on route, whose
// chain walk visits outermost first, as errors.As does (walk stops when
// visit returns true). It is the own fingerprint of the outermost link that
// implements httperr.Fingerprinter, hashed when it is longer than 64 bytes;
// otherwise 16 hex digits of a 64-bit FNV-1a hash of the status, the route,
// the Go type of every link, and the text of the last link visited (the
// innermost) with ids and numbers masked (see mask). It never panics.
func Fingerprint(status int, route string, err error, walk func(error, func(error) bool) bool) string {
	p := &printer{h: newHash()}
	var num [20]byte
	for _, c := range strconv.AppendInt(num[:0], int64(status), 10) {
		_ = p.h.WriteByte(c)
	}
	_ = p.h.WriteByte(0)
	_, _ = p.h.WriteString(route)
	walk(err, p.visit)
	switch {
	case p.found && p.own != "" && len(p.own) <= maxOwn:
		return p.own
	case p.found && p.own != "":
		p.h = newHash()
		_, _ = p.h.WriteString(p.own)
		return p.h.hex()
	}
	if p.last != nil {
		_ = p.h.WriteByte(0)
		mask(safe(p.last.Error), &p.h)
	}
	return p.h.hex()
}

// printer is one walk of Fingerprint.
type printer struct {
	h     hash
	last  error  // the last link visited
	own   string // the fingerprint of a Fingerprinter link
	found bool   // there is such a link
}

func (p *printer) visit(link error) bool {
	if f, ok := link.(httperr.Fingerprinter); ok {
		p.own, p.found = safe(f.Fingerprint), true
		return true
	}
	_ = p.h.WriteByte(0)
	_, _ = p.h.WriteString(reflect.TypeOf(link).String())
	p.last = link
	return false
}

// safe returns what f returns, or "" when it panics (a typed nil).
func safe(f func() string) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	return f()
}

// writer is what mask writes to: a hash, or a strings.Builder in tests.
type writer interface {
	WriteByte(c byte) error
	WriteString(s string) (int, error)
}

// mask writes the first maxText bytes of s to w with each id or number
// replaced by "#": a word (a run of ASCII letters and digits) that holds a
// digit, or that is all hex digits and at least 8 long. "user 42 not
// found" and "user 7 not found" are one text; so are two UUIDs, two
// addresses or two hex ids.
func mask(s string, w writer) {
	if len(s) > maxText {
		s = s[:maxText]
	}
	for i := 0; i < len(s); {
		if !alnum(s[i]) {
			_ = w.WriteByte(s[i])
			i++
			continue
		}
		j, digit, hex := i, false, true
		for ; j < len(s) && alnum(s[j]); j++ {
			digit = digit || '0' <= s[j] && s[j] <= '9'
			hex = hex && isHex(s[j])
		}
		if digit || hex && j-i >= 8 {
			_ = w.WriteByte('#')
		} else {
			_, _ = w.WriteString(s[i:j])
		}
		i = j
	}
}

func alnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// hash is 64-bit FNV-1a: stable across processes and releases, so that a
// fleet (and an error tracker) sees one fingerprint for one error.
type hash uint64

func newHash() hash { return 14695981039346656037 }

func (h *hash) WriteByte(c byte) error {
	*h = (*h ^ hash(c)) * 1099511628211
	return nil
}

func (h *hash) WriteString(s string) (int, error) {
	for i := 0; i < len(s); i++ {
		_ = h.WriteByte(s[i])
	}
	return len(s), nil
}

// hex returns the hash as 16 hex digits.
func (h hash) hex() string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = digits[h&15]
		h >>= 4
	}
	return string(b[:])
}
