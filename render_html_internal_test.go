package echoerr

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
)

func TestHTMLFastPathCoversBuiltinPagesOnly(t *testing.T) {
	r := HTML().(*htmlRenderer)
	assert.Len(t, r.fast, 3, "404.html, 5xx.html and error.html are precompiled")
	assert.NotNil(t, r.fast[r.builtin.fallback])

	r = HTML(TemplateFS(fstest.MapFS{"404.html": {Data: []byte("mine")}})).(*htmlRenderer)
	assert.Len(t, r.fast, 3, "user pages leave the built-in ones precompiled")
	assert.Nil(t, r.fast[r.user.lookup(404)], "user pages always run as templates")

	r = HTML(TemplateFS(fstest.MapFS{"layout.html": {Data: []byte("{{.Code}}")}})).(*htmlRenderer)
	assert.Empty(t, r.fast, "a user layout turns precompiling off")
}

func TestAppendHTMLEscapesAsHTMLTemplate(t *testing.T) {
	assert.Equal(t, "a&lt;b&gt;&amp;&#34;&#39;&#43;\uFFFD\xff é", string(appendHTML(nil, "a<b>&\"'+\x00\xff é")))
}
