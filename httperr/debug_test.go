package httperr

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pkg is the package of a function name, as the engine's stack parser
// names it: up to the first dot after the last slash.
func pkg(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	if dot := strings.IndexByte(fn[slash+1:], '.'); dot >= 0 {
		return fn[:slash+1+dot]
	}
	return fn
}

func TestFrameGroups(t *testing.T) {
	app := func(fn string) DebugFrame { return DebugFrame{Function: fn, App: true, Package: pkg(fn)} }
	lib := func(fn string) DebugFrame { return DebugFrame{Function: fn, Package: pkg(fn)} }
	d := &DebugInfo{Frames: []DebugFrame{
		lib("runtime.gopanic"), app("main.a"), app("main.b"),
		lib("github.com/labstack/echo/v4.(*Echo).ServeHTTP"), lib("net/http.serverHandler.ServeHTTP"),
		lib("net/http.(*conn).serve"), lib("runtime.goexit"), lib("a.F"), lib("b.F"),
	}}
	groups := d.FrameGroups()
	require.Len(t, groups, 3)
	assert.Equal(t, []DebugFrameGroup{{Frames: d.Frames[:1]}, {App: true, Frames: d.Frames[1:3]}, {Frames: d.Frames[3:]}}, groups)
	assert.Equal(t, "1 library frame: runtime", groups[0].Summary())
	assert.Equal(t, "2 application frames: main", groups[1].Summary())
	assert.Equal(t, "6 library frames: github.com/labstack/echo/v4, net/http, runtime, …", groups[2].Summary())
	assert.Nil(t, (*DebugInfo)(nil).FrameGroups())
	assert.Empty(t, (&DebugInfo{}).FrameGroups())

	assert.Empty(t, (&DebugInfo{}).FrameGroups())
}

func TestDebugReport(t *testing.T) {
	d := &DebugInfo{
		Request: "GET /users/7 HTTP/1.1",
		Route:   "/users/:id",
		Chain:   []DebugChainLink{{Type: "*fmt.wrapError", Message: "load: refused"}, {Type: "*errors.errorString", Message: "refused"}},
		Stack:   "goroutine 7 [running]:\n...",
		Frames: []DebugFrame{
			{Function: "main.load", File: "/app/main.go", Line: 12, App: true},
			{Function: "net/http.(*Server).Serve", File: "/usr/local/go/src/net/http/server.go", Line: 3285, CreatedBy: true},
		},
		Header: [][2]string{{"Cookie", "[redacted]"}},
	}
	d.Params = [][2]string{{"id", "7"}}
	d.Query = [][2]string{{"tab", "2"}, {"q", "a b"}}
	assert.Equal(t, "#### Request\n\n```text\nGET /users/7 HTTP/1.1\nRoute: /users/:id\n"+
		"Path parameters: id=7\nQuery: tab=2 q=a b\n"+
		"Go: "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+"\n```\n"+
		"\n#### Error chain\n\n```text\n1. *fmt.wrapError: load: refused\n2. *errors.errorString: refused\n```\n"+
		"\n#### Stack (innermost call first, * application code)\n\n```text\n"+
		"* main.load\n      /app/main.go:12\n"+
		"  created by net/http.(*Server).Serve\n      /usr/local/go/src/net/http/server.go:3285\n```\n", d.Report())

	d.Frames, d.Route, d.Params, d.Query = nil, "", nil, nil
	assert.Contains(t, d.Report(), "\n#### Stack\n\n```text\ngoroutine 7 [running]:\n...\n```\n", "an unparsed stack as text")
	assert.NotContains(t, d.Report(), "Route:")
	assert.NotContains(t, d.Report(), "Path parameters:")
	assert.NotContains(t, d.Report(), "Query:")
	assert.NotContains(t, d.Report(), "Cookie", "no headers")

	// A text holding a fence cannot close the block: the fence is longer.
	d.Chain = []DebugChainLink{{Type: "*errors.errorString", Message: "a ```` b\n#### not a heading"}}
	assert.Contains(t, d.Report(), "\n#### Error chain\n\n`````text\n1. *errors.errorString: a ```` b\n#### not a heading\n`````\n")
	d.Chain = nil
	assert.NotContains(t, d.Report(), "Error chain", "no chain, no section")
	d.Handler = &DebugFrame{Function: "main.showUser", File: "/app/main.go", Line: 30}
	assert.Contains(t, d.Report(), "```text\nGET /users/7 HTTP/1.1\nHandler: main.showUser (/app/main.go:30)\nGo: ")
	assert.Empty(t, (*DebugInfo)(nil).Report())
}
