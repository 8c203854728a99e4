package debugpage

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parts renders the section and the style as short marked stand-ins, and
// counts the calls.
func parts(calls *[]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		*calls = append(*calls, name)
		if name == "debug.html" {
			return []byte(`<section id="echoerr-debug">S</section>`), nil
		}
		return []byte(`<style id="echoerr-debug-style">C</style>`), nil
	}
}

func TestInjectPutsTheSectionAfterTheBodyTagAndTheStyleInTheHead(t *testing.T) {
	for _, tc := range []struct{ name, page, want string }{
		{"a whole page", "<!DOCTYPE html><html><head><title>x</title></head><body class=\"a>b\" id='c>d'><h1>x</h1></body></html>",
			"<!DOCTYPE html><html><head><title>x</title><style id=\"echoerr-debug-style\">C</style></head><body class=\"a>b\" id='c>d'>\n" +
				"<section id=\"echoerr-debug\">S</section><h1>x</h1></body></html>"},
		{"tags in capitals", "<HTML><HEAD></HEAD><BODY>\n<p>x</p></BODY></HTML>",
			"<HTML><HEAD><style id=\"echoerr-debug-style\">C</style></HEAD><BODY>\n<section id=\"echoerr-debug\">S</section>\n<p>x</p></BODY></HTML>"},
		{"a <bodyguard> is no body", "<head></head><bodyguard></bodyguard>",
			"<head><style id=\"echoerr-debug-style\">C</style></head>\n<section id=\"echoerr-debug\">S</section><bodyguard></bodyguard>"},
		{"no body: after the head", "<html><head></head><p>x</p></html>",
			"<html><head><style id=\"echoerr-debug-style\">C</style></head>\n<section id=\"echoerr-debug\">S</section><p>x</p></html>"},
		{"neither: at the end", "<p>x</p>", "<p>x</p><style id=\"echoerr-debug-style\">C</style>\n<section id=\"echoerr-debug\">S</section>"},
		{"an unclosed body tag: at the end", "<body class=\"x", "<body class=\"x<style id=\"echoerr-debug-style\">C</style>\n<section id=\"echoerr-debug\">S</section>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			got, err := Inject([]byte(tc.page), parts(&calls))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
			assert.Equal(t, []string{"debug.html", "debug-style.html"}, calls)
		})
	}
}

func TestInjectAddsOnlyWhatThePageLacks(t *testing.T) {
	var calls []string
	page := `<head></head><body><section class="debug" id="echoerr-debug">mine</section></body>`
	got, err := Inject([]byte(page), parts(&calls))
	require.NoError(t, err)
	assert.Equal(t, `<head><style id="echoerr-debug-style">C</style></head><body><section class="debug" id="echoerr-debug">mine</section></body>`, string(got))
	assert.Equal(t, []string{"debug-style.html"}, calls)

	calls = nil
	page = `<head><style id="echoerr-debug-style"></style></head><body><div id="echoerr-debug"></div></body>`
	got, err = Inject([]byte(page), parts(&calls))
	require.NoError(t, err)
	assert.Equal(t, page, string(got), "a page that has both is left as it is")
	assert.Empty(t, calls)

	_, err = Inject([]byte("<p>x</p>"), func(string) ([]byte, error) { return nil, errors.New("broken") })
	assert.EqualError(t, err, "broken")
}

func TestEditorLink(t *testing.T) {
	assert.Equal(t, "vscode://file//src/my%20app/main.go:42", string(EditorLink("vscode://file/{path}:{line}", "/src/my app/main.go", 42)))
	assert.Equal(t, "idea://open?file=C:/src/a%3Fb.go&line=7", string(EditorLink("idea://open?file={path}&line={line}", "C:/src/a?b.go", 7)))
	assert.Empty(t, EditorLink("", "/src/main.go", 1), "no pattern, no link")
	assert.Empty(t, EditorLink("vscode://file/{path}", "example.com/app/main.go", 1), "a -trimpath name is no file")
	assert.Empty(t, EditorLink("vscode://file/{path}", "", 0))

	for _, ok := range []string{"vscode://file/{path}:{line}", "idea://open?file={path}&line={line}", "subl://open?url=file://{path}", "x-my+ed.it:{path}"} {
		assert.NoError(t, CheckEditorPattern(ok), ok)
	}
	for _, bad := range []string{"", "{path}", "/open/{path}", "vscode://file/", "javascript:alert(1)//{path}", "JavaScript:{path}",
		"data:text/html,{path}", "vbscript:{path}", "1abc:{path}"} {
		assert.Error(t, CheckEditorPattern(bad), bad)
	}
}

func TestNewReadsPathAndQueryParameters(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/users/7?tab=2&q=a+b%26c&flag&key=tok&bad=%zz&&=v", nil)
	d := New(Input{
		Request: req, Params: [][2]string{{"id", "7"}, {"token", "tok-1"}},
		Redact: hideToken, RedactHeader: func(_, v string) string { return v },
	})
	assert.Equal(t, [][2]string{{"id", "7"}, {"token", "[redacted]-1"}}, d.Params, "in the route's order, redacted")
	assert.Equal(t, [][2]string{{"tab", "2"}, {"q", "a b&c"}, {"flag", ""}, {"key", "[redacted]"}, {"bad", "%zz"}, {"", "v"}}, d.Query,
		"in the URL's order, decoded where they can be, redacted")
}

// TestSampleSetsEveryField: the sample the renderer's start-up check runs
// pages with leaves no field of the debug detail empty, so that a page's
// use of any of them is tried.
func TestSampleSetsEveryField(t *testing.T) {
	d := Sample()
	v := reflect.ValueOf(*d)
	for i := range v.NumField() {
		assert.False(t, v.Field(i).IsZero(), "Sample leaves DebugInfo.%s empty", v.Type().Field(i).Name)
	}
	var app, lib, createdBy, source bool
	for _, f := range d.Frames {
		app, lib = app || f.App, lib || !f.App
		createdBy = createdBy || f.CreatedBy
		source = source || len(f.Source) > 0
	}
	assert.True(t, app && lib && createdBy && source, "every kind of frame")
}
