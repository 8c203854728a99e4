package engine

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAppendJSONStringEscapesAsEncodingJSON: every byte, alone and in
// company, and the runes encoding/json treats specially come out as
// json.Marshal writes them.
func TestAppendJSONStringEscapesAsEncodingJSON(t *testing.T) {
	inputs := []string{"", "Not Found", "a\"b\\c", "<script>&</script>", "line\nbreak\r\ttab", "\u2028\u2029", "caf\u00e9 \U0001F600", "\xff\xfe bad", "\x7f"}
	var all strings.Builder
	for c := 0; c < 256; c++ {
		inputs = append(inputs, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"y")
		all.WriteByte(byte(c))
	}
	inputs = append(inputs, all.String())
	for _, s := range inputs {
		want, err := json.Marshal(s)
		assert.NoError(t, err)
		assert.Equal(t, string(want), string(appendJSONString(nil, s)), "%q", s)
	}
}

// FuzzAppendJSONString holds appendJSONString to encoding/json for any input.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "Not Found", "<&>\"\\", "\u2028", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := string(appendJSONString(nil, s)); got != string(want) {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}

// TestDefaultTextNeedsNoJSONEscaping holds what appendJSONText relies on:
// every status's default name and description is a JSON string as it is.
func TestDefaultTextNeedsNoJSONEscaping(t *testing.T) {
	for code := 100; code <= 999; code++ {
		for _, s := range []string{StatusName(code), StatusDescription(code)} {
			assert.Equal(t, `"`+s+`"`, string(appendJSONString(nil, s)), "%d: %q", code, s)
		}
	}
}
