package storm

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// walk is the engine's walk, enough of it for these tests: Unwrap() error
// and Unwrap() []error, outermost first.
func walk(err error, visit func(error) bool) bool {
	for err != nil {
		if visit(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if walk(e, visit) {
					return true
				}
			}
			return false
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return false
		}
	}
	return false
}

func fp(status int, route string, err error) string { return Fingerprint(status, route, err, walk) }

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"user 42 not found": "user # not found",
		"order 3fa85f64-5717-4562-b3fc-2c963f66afa6 is gone":     "order #-#-#-#-# is gone",
		"dial tcp 10.0.0.1:5432: connect: connection refused":    "dial tcp #.#.#.#:#: connect: connection refused",
		"token deadbeefcafe rejected; a decade of added effaced": "token # rejected; a decade of added effaced",
		"0x1f at v2":   "# at #",
		"naïve text":   "naïve text",
		"open /a/b.go": "open /a/b.go",
	} {
		var b strings.Builder
		mask(in, &b)
		assert.Equal(t, want, b.String(), in)
	}
	var b strings.Builder
	mask(strings.Repeat("x", maxText+100), &b)
	assert.Len(t, b.String(), maxText, "the text read is bounded")
}

type ownFP struct{ fp string }

func (e *ownFP) Error() string       { return "own" }
func (e *ownFP) Fingerprint() string { return e.fp }

type nilFP struct{ p *string }

func (e *nilFP) Error() string       { return *e.p }
func (e *nilFP) Fingerprint() string { return *e.p }

func TestFingerprint(t *testing.T) {
	base := fp(500, "/users/:id", fmt.Errorf("load user 42: %w", errors.New("row 42 missing")))
	assert.Regexp(t, `^[0-9a-f]{16}$`, base)
	assert.Equal(t, base, fp(500, "/users/:id", fmt.Errorf("load user 7: %w", errors.New("row 7 missing"))),
		"numbers are masked; only the innermost text counts")
	assert.Equal(t, base, fp(500, "/users/:id", fmt.Errorf("fetch %d: %w", 1, errors.New("row 9 missing"))))
	for name, other := range map[string]string{
		"status": fp(503, "/users/:id", fmt.Errorf("load user 42: %w", errors.New("row 42 missing"))),
		"route":  fp(500, "/orders/:id", fmt.Errorf("load user 42: %w", errors.New("row 42 missing"))),
		"types":  fp(500, "/users/:id", errors.Join(errors.New("row 42 missing"))),
		"text":   fp(500, "/users/:id", fmt.Errorf("load user 42: %w", errors.New("column 42 missing"))),
	} {
		assert.NotEqual(t, base, other, name)
	}

	assert.Equal(t, "db-down", fp(500, "/x", fmt.Errorf("wrapped: %w", &ownFP{"db-down"})), "the error's own")
	long := strings.Repeat("f", maxOwn+1)
	assert.Regexp(t, `^[0-9a-f]{16}$`, fp(500, "/x", &ownFP{long}), "a long own fingerprint is hashed")
	assert.Equal(t, fp(500, "/x", &ownFP{long}), fp(404, "/y", &ownFP{long}))
	assert.NotPanics(t, func() { fp(500, "/x", &nilFP{}) }, "a typed nil's panicking methods")
}

func BenchmarkFingerprint(b *testing.B) {
	err := fmt.Errorf("load user 42: %w", errors.New("pq: connection to 10.0.0.1:5432 refused"))
	b.ReportAllocs()
	for b.Loop() {
		fp(500, "/users/:id", err)
	}
}
