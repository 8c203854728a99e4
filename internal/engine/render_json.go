package engine

import (
	"encoding/json"
	"sort"
	"strings"
)

// MIMEApplicationJSON is the media type of the JSON renderer.
const MIMEApplicationJSON = "application/json"

// JSON returns a Renderer that writes application/json:
// {"code":404,"name":"Not Found","description":"..."}, then the Extensions
// as top-level members, then "debug" in debug mode.
func JSON() Renderer { return &jsonRenderer{} }

type jsonRenderer struct{}

func (r *jsonRenderer) contentType() string  { return MIMEApplicationJSON }
func (r *jsonRenderer) MediaTypes() []string { return []string{MIMEApplicationJSON} }

// jsonHead holds the first members of the JSON renderer's object.
type jsonHead struct {
	Code        int    `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (r *jsonRenderer) Render(x Ctx, e *Error) error {
	body, err := marshalObject(jsonHead{e.Code, e.Name, e.Description}, e, "code", "name", "description")
	if err != nil {
		return err
	}
	return Send(x, e.Code, MIMEApplicationJSON, body)
}

// marshalObject encodes head, a struct, as a JSON object with e's
// extensions as further members, in key order and without the reserved
// keys in any letter case (a JSON decoder in Go matches keys
// case-insensitively, so "Code" would shadow "code"), then the debug detail
// in debug mode; a newline ends it. An extension that cannot be encoded is
// left out. Everything is encoded by encoding/json, which escapes as
// json.Marshal does: HTML-sensitive characters, U+2028 and U+2029 are
// escaped, and invalid UTF-8 becomes U+FFFD.
func marshalObject(head any, e *Error, reserved ...string) ([]byte, error) {
	b, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	b = b[:len(b)-1] // without its '}': the members follow
	for _, k := range extensionKeys(e, reserved) {
		b = appendMember(b, k, e.Extensions[k])
	}
	if e.Debug != nil {
		b = appendMember(b, "debug", e.Debug)
	}
	return append(b, '}', '\n'), nil
}

// extensionKeys returns the keys of e's extensions that become members, in
// order: not the reserved ones, nor "debug" in debug mode.
func extensionKeys(e *Error, reserved []string) []string {
	keys := make([]string, 0, len(e.Extensions))
	for k := range e.Extensions {
		if !isReserved(k, reserved) && !(e.Debug != nil && strings.EqualFold(k, "debug")) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// appendMember appends ,"key":value to the JSON object b, unless value
// cannot be encoded.
func appendMember(b []byte, key string, value any) []byte {
	v, err := json.Marshal(value)
	if err != nil {
		return b
	}
	k, _ := json.Marshal(key) // a string always encodes
	b = append(b, ',')
	b = append(b, k...)
	b = append(b, ':')
	return append(b, v...)
}

func isReserved(key string, reserved []string) bool {
	for _, r := range reserved {
		if strings.EqualFold(key, r) {
			return true
		}
	}
	return false
}
