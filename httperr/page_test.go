package httperr

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("marshal broke") }

type point struct{ X, Y int }

func TestExtensionText(t *testing.T) {
	n := 3
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, "null"},
		{"text", "text"},
		{42, "42"},
		{2.5, "2.5"},
		{false, "false"},
		{errors.New("an error"), "an error"},
		{[]int{1, 2}, "[1,2]"},
		{[2]string{"a", "b"}, `["a","b"]`},
		{map[string]any{"b": 1, "a": "x"}, `{"a":"x","b":1}`},
		{point{1, 2}, `{"X":1,"Y":2}`},
		{&point{3, 4}, `{"X":3,"Y":4}`},
		{&n, fmtPointer(&n)},
		{map[bool]func(){true: nil}, "map[true:<nil>]"}, // JSON cannot encode it: %v
		{[]panicky{{}}, "<[]httperr.panicky: cannot be shown: marshal broke>"},
	} {
		assert.Equal(t, tc.want, extensionText(tc.v), "%#v", tc.v)
	}
}

func TestExtensionListSortsAndDropsCanonicalNames(t *testing.T) {
	p := &PageData{Extensions: map[string]any{"b": 1, "a": "x", "NAME": "n", "Description": "d", "code": 1}}
	assert.Equal(t, []PageExtension{{"a", "x"}, {"b", "1"}}, p.ExtensionList())
	assert.Nil(t, (&PageData{}).ExtensionList())
	assert.Nil(t, (*PageData)(nil).ExtensionList())
}

func fmtPointer(p *int) string { return fmt.Sprint(p) }
