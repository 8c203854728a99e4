package httperr

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// PageData is the data an HTML error page is executed with.
type PageData struct {
	// Code is the HTTP status code, such as 404.
	Code int
	// Name is the reason phrase, such as "Not Found".
	Name string
	// Description is the public description of the error.
	Description string
	// Extensions are the error's extra members (see Error.Extensions and
	// ExtensionList).
	Extensions map[string]any
	// Debug is the debug detail in debug mode, nil otherwise: the error
	// chain, the stack (as text and as frames), the request, with secrets
	// redacted.
	Debug *DebugInfo
	// RequestID is the request's id (the X-Request-ID response header set
	// by Echo's RequestID middleware, or the request's own), or "".
	RequestID string
	// Home is the link to the home page (the HTML renderer's HomeLink), or
	// "" for none.
	Home string
	// Path is the request's URL path.
	Path string
}

// PageExtension is one of an error's extensions as a page shows it.
type PageExtension struct {
	// Key is the extension's name.
	Key string
	// Value is its value as text: strings, numbers and booleans as fmt's
	// %v prints them, maps, slices, arrays and structs as JSON.
	Value string
}

// ExtensionList returns the Extensions sorted by key, with their values as
// text (see PageExtension), for a page to show; html/template escapes them
// as it writes them. Keys that name a member of the canonical error (code,
// name, description, in any letter case) are left out: the page shows those
// itself.
func (p *PageData) ExtensionList() []PageExtension {
	if p == nil || len(p.Extensions) == 0 {
		return nil
	}
	list := make([]PageExtension, 0, len(p.Extensions))
	for k, v := range p.Extensions {
		switch strings.ToLower(k) {
		case "code", "name", "description":
			continue
		}
		list = append(list, PageExtension{Key: k, Value: extensionText(v)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Key < list[j].Key })
	return list
}

// extensionText formats an extension's value for a page. A value whose
// String or MarshalJSON method panics is shown as a note, never breaks the
// page.
func extensionText(v any) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("<%T: cannot be shown: %v>", v, p)
		}
	}()
	switch v.(type) {
	case nil:
		return "null"
	case string, fmt.Stringer, error:
		return fmt.Sprint(v)
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Map, reflect.Slice, reflect.Array, reflect.Struct:
		if b, err := json.Marshal(v); err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(v)
}
