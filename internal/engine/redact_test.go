package engine

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redactSteps is the matcher's work for redacting text with secrets: its
// steps, building included.
func redactSteps(secrets []string, text string) (string, int) {
	r := newRedactor(secrets, 1)
	out := r.redact(text)
	return out, r.m.steps
}

// Invariant 3: redaction's work is linear in the text and the secrets,
// however many secrets there are and however they overlap one another and
// the text (a run of one letter matches every secret made of it at every
// position). Doubling the text at most doubles the work.
func TestRedactionWorkIsLinearInTheTextAndTheSecrets(t *testing.T) {
	var secrets []string
	total := 0
	for n := 1; n <= 500; n++ {
		secrets = append(secrets, strings.Repeat("a", n), fmt.Sprintf("tok-%04d-secret", n))
		total += n + 15
	}
	for _, unit := range []string{"a", "a.", "tok-0001-secret ", "a:::::::::: "} {
		text := strings.Repeat(unit, 100<<10/len(unit))
		_, once := redactSteps(secrets, text)
		_, twice := redactSteps(secrets, text+text)
		assert.LessOrEqual(t, once, 8*(len(text)+total), "steps for %d bytes of %q and %d bytes of secrets", len(text), unit, total)
		assert.LessOrEqual(t, twice-once, once, "doubling %q doubles the work at most", unit)
	}
}

// Invariant 4: secrets are hidden wherever they are, and the text around
// them is not defaced.
func TestRedactHidesSecretsWithoutDefacingText(t *testing.T) {
	for _, tc := range []struct {
		name    string
		secrets []string
		in, out string
	}{
		{"a long value anywhere", []string{"tok-SECRET-1"}, "x=tok-SECRET-1abc", "x=[redacted]abc"},
		{"a one-letter value as a whole token only", []string{"e"}, "every e. here", "every [redacted]. here"},
		{"a short value inside a version", []string{"1"}, "HTTP/1.1 and 1", "HTTP/1.1 and [redacted]"},
		{"the longest of values ending at one place", []string{"SECRET-42", "42"}, "a SECRET-42 b", "a [redacted] b"},
		{"values that overlap, as one", []string{"12345678", "5678abcdefgh"}, "x 12345678abcdefgh y", "x [redacted] y"},
		{"values side by side, each", []string{"aaaaaaaa", "bbbbbbbb"}, "aaaaaaaabbbbbbbb", "[redacted][redacted]"},
		{"nothing to hide", []string{"zzzzzzzz"}, "plain text", "plain text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.out, newRedactor(tc.secrets, 1).redact(tc.in))
		})
	}
}

// Invariant 4: the secret headers are found under any spelling of their
// names, on every line, and a cookie header's values one by one.
func TestSecretValuesReadsEveryLineInAnyLetterCase(t *testing.T) {
	h := http.Header{
		"cookie":              {"a=one-value; b=\"two-value\"", "c=three"},
		"SET-COOKIE":          {"sid=four-value; Path=/; HttpOnly"},
		"authorization":       {"Bearer five-token"},
		"Proxy-Authorization": {"Basic dXNlcjpzaXgtcGFzcw=="}, // user:six-pass
		"X-Other":             {"not-a-secret"},
	}
	got := secretValues(h)
	for _, want := range []string{"one-value", "two-value", "three", "four-value", "five-token", "user:six-pass", "six-pass"} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "not-a-secret")
	assert.NotContains(t, got, "Path=/", "Set-Cookie attributes are not secrets")
	assert.NotContains(t, got, "HttpOnly", "Set-Cookie attributes are not secrets")
	require.True(t, hasSecrets(http.Header{"cookie": {"x=1"}}))
	require.False(t, hasSecrets(http.Header{"Accept": {"*/*"}}))
}

// Invariants 3 and 4: a bounded text is redacted in work bounded by its
// bound, not by the text (a 1 MB error text listed in 32 links of a chain
// costs 32 short scans), and a secret that straddles the cut is hidden,
// not left half visible.
func TestRedactorClipIsBoundedAndHidesASecretAcrossTheCut(t *testing.T) {
	secret := "tok-0123456789abcdef"
	r := newRedactor([]string{secret}, 1)
	text := strings.Repeat("a", MaxLinkText-4) + secret + strings.Repeat("b", 1<<20)
	before := r.m.steps
	out := r.clip(text, MaxLinkText)
	assert.Less(t, r.m.steps-before, 4*(MaxLinkText+len(secret)), "work bounded by the cut, not the 1 MB text")
	assert.NotContains(t, out, "tok-")
	assert.True(t, strings.HasPrefix(out, strings.Repeat("a", MaxLinkText-4)+"[red"), "cut inside the redaction: %.40q", out[MaxLinkText-8:])
	assert.True(t, strings.HasSuffix(out, " more bytes)"), "the note says how much was left out: %.40q", out[len(out)-30:])
	assert.Less(t, len(out), MaxLinkText+40)
	assert.Equal(t, "short "+redacted, r.clip("short "+secret, MaxLinkText), "a short text is redacted whole")
	assert.Equal(t, "as it is", (*redactor)(nil).clip("as it is", MaxLinkText))
}
