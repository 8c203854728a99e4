package engine

import (
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileValues are per-request values that escape differently in every
// context a page could put them in.
var hostileValues = []string{
	"", "plain", "<script>alert(1)</script>", `"quoted" & 'single' + plus`, "back\\slash/slash",
	"nul\x00byte", "invalid \xff\xfe utf-8", "line\r\nbreak", "EchoerrHoleAq7Zx", "é ü ✓ 𝄞", "`=`",
	strings.Repeat("long<", 2000),
}

// renderBoth returns what the page for d writes through its skeleton (ok
// false when it has none) and by executing its template.
func renderBoth(t *testing.T, r *htmlRenderer, d *PageData) (fast string, ok bool, slow string) {
	t.Helper()
	page := r.page(d.Code)
	b, ok := r.skeletons.write(nil, page, d)
	var s strings.Builder
	require.NoError(t, page.Execute(&s, d))
	return string(b), ok, s.String()
}

func TestSkeletonWritesWhatTheTemplateWrites(t *testing.T) {
	builtin := HTML().(*htmlRenderer)
	for _, code := range []int{400, 404, 405, 418, 500, 503, 599, 999} {
		for _, v := range hostileValues {
			for _, d := range []*PageData{
				{Code: code, Name: v, Description: v, RequestID: v, Path: v, Home: "/"},
				{Code: code, Name: StatusName(code), Description: v, Home: "/"},
				{Code: code, Name: StatusName(code), RequestID: v, Path: "/x", Home: "/"},
			} {
				fast, ok, slow := renderBoth(t, builtin, d)
				require.True(t, ok, "the built-in page for %d has a skeleton", code)
				require.Equal(t, slow, fast, "code %d, value %q", code, v)
			}
		}
	}
}

func TestSkeletonIsUsedOnlyWhereItWritesTheSameBytes(t *testing.T) {
	funcs := template.FuncMap{"now": func() string { return time.Now().Format(time.RFC3339Nano) }}
	for _, tc := range []struct {
		name, page string
		skeleton   bool
	}{
		{"text, attribute and title holes", `<title>{{.Name}}</title><p title="{{.Description}}">{{.RequestID}}</p>{{.Path}}`, true},
		{"if and with on a hole", `{{if .Description}}<p>{{.Description}}</p>{{else}}none{{end}}{{with .RequestID}}<code>{{.}}</code>{{end}}`, true},
		{"$ of a hole", `{{range .ExtensionList}}{{.Key}}{{end}}<p>{{$.Path}}</p>`, true},
		{"a hole in a script", `<script>var d = {{.Description}};</script>`, false},
		{"a hole in a URL", `<a href="/search?q={{.Path}}">again</a>`, false},
		{"a hole in a style", `<p style="color: {{.Description}}">x</p>`, false},
		{"a comparison of a hole", `{{if eq .Path "/admin"}}admin{{else}}public{{end}}`, false},
		{"a hole given to a function", `{{printf "%.5s" .Description}}`, false},
		{"a hole held in a variable", `{{$d := .Description}}{{$d}}`, false},
		{"a hole given to a template", `{{define "x"}}{{.}}{{end}}{{template "x" .Description}}`, false},
		{"the page held in a variable", `{{define "x"}}{{$p := .}}{{$p.Description}}{{end}}{{template "x" .}}`, false},
		{"a template given something else than the page", `{{define "x"}}{{$e := .}}{{$e.Key}}{{end}}{{range .ExtensionList}}{{template "x" .}}{{end}}<p>{{.Path}}</p>`, true},
		{"the page given to a function", `{{len .Description}}{{printf "%v" .}}`, false},
		{"a function of the user's", `<p>{{now}}</p>`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"error.html": {Data: []byte(tc.page)}}
			r := HTML(TemplateFS(fsys), TemplateFuncs(funcs)).(*htmlRenderer)
			for _, v := range hostileValues {
				d := &PageData{Code: 404, Name: "Not Found", Description: v, RequestID: v, Path: v, Home: "/"}
				fast, ok, slow := renderBoth(t, r, d)
				require.Equal(t, tc.skeleton, ok, "skeleton used")
				if ok {
					require.Equal(t, slow, fast, "value %q", v)
				}
			}
		})
	}
}

func TestSkeletonIsNotUsedForDebugDetailOrExtensions(t *testing.T) {
	r := HTML().(*htmlRenderer)
	for _, d := range []*PageData{
		{Code: 404, Name: "Not Found", Home: "/", Debug: &DebugInfo{Request: "GET / HTTP/1.1"}},
		{Code: 404, Name: "Not Found", Home: "/", Extensions: map[string]any{"field": "name"}},
	} {
		_, ok, _ := renderBoth(t, r, d)
		assert.False(t, ok)
	}
}

func TestSkeletonsAreBounded(t *testing.T) {
	r := HTML().(*htmlRenderer)
	for code := 100; code < 100+2*maxSkeletons; code++ {
		fast, ok, slow := renderBoth(t, r, &PageData{Code: code, Name: "N", Home: "/"})
		require.True(t, ok)
		require.Equal(t, slow, fast)
	}
	assert.Len(t, r.skeletons.m, maxSkeletons)
}

// FuzzHTMLEscaped holds appendHTMLEscaped to html/template's escaping of a
// string in text, in a quoted attribute value and in <title>.
func FuzzHTMLEscaped(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v)
	}
	tmpl := template.Must(template.New("").Parse(`{{.}}|<p title="{{.}}">|<title>{{.}}</title>`))
	f.Fuzz(func(t *testing.T, s string) {
		var want strings.Builder
		require.NoError(t, tmpl.Execute(&want, s))
		e := string(appendHTMLEscaped(nil, s))
		require.Equal(t, want.String(), e+`|<p title="`+e+`">|<title>`+e+`</title>`)
	})
}

// FuzzSkeleton holds the built-in pages' skeletons to their templates.
func FuzzSkeleton(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(404, v, v, v, v)
	}
	r := HTML().(*htmlRenderer)
	f.Fuzz(func(t *testing.T, code int, name, desc, id, path string) {
		if !validStatus(code) {
			return
		}
		d := &PageData{Code: code, Name: name, Description: desc, RequestID: id, Path: path, Home: "/"}
		fast, ok, slow := renderBoth(t, r, d)
		require.True(t, ok)
		require.Equal(t, slow, fast)
	})
}
