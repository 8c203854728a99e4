package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMarshalObjectAppendsTheMembersInOrder: the head's members, then the
// extensions in key order without the reserved keys (in any letter case)
// and without what cannot be encoded, then the debug detail, which
// replaces an extension named "debug".
func TestMarshalObjectAppendsTheMembersInOrder(t *testing.T) {
	e := &Error{Code: 404, Name: "Not Found", Description: "<gone> & \u2028 \xff"}
	head := jsonHead{e.Code, e.Name, e.Description}
	const start = `{"code":404,"name":"Not Found","description":"\u003cgone\u003e \u0026 \u2028 \ufffd"`

	b, err := marshalObject(head, e, "code", "name", "description")
	require.NoError(t, err)
	assert.Equal(t, start+"}\n", string(b))

	e.Extensions = map[string]any{"b": 2, "a": "<x>", "Code": 3, "NAME": 4, "f": func() {}, "debug": "mine"}
	b, err = marshalObject(head, e, "code", "name", "description")
	require.NoError(t, err)
	assert.Equal(t, start+`,"a":"\u003cx\u003e","b":2,"debug":"mine"}`+"\n", string(b))

	e.Debug = &DebugInfo{Request: "GET / HTTP/1.1"}
	b, err = marshalObject(head, e, "code", "name", "description")
	require.NoError(t, err)
	assert.Equal(t, start+`,"a":"\u003cx\u003e","b":2,"debug":{"chain":null,"request":"GET / HTTP/1.1"}}`+"\n", string(b))
}
