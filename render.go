package echoerr

import (
	"fmt"
	"html/template"
	"io/fs"

	"github.com/labstack/echo/v4"

	"github.com/echoerr/echoerr/httperr"
	"github.com/echoerr/echoerr/internal/engine"
)

// Renderer writes an error response. Before Render is called the handler
// has already prepared the response headers (content headers removed, the
// error's own headers and the safety headers added); a Renderer sets its
// Content-Type and writes the status and body, normally with Send.
//
// A Renderer should build the whole body before writing anything, so that a
// failure never sends half a response: when Render returns an error and has
// written nothing, the handler answers with a minimal plain-text page.
// In debug mode e.Debug is non-nil and a Renderer should show it.
type Renderer interface {
	Render(c echo.Context, e *Error) error
}

// builtin is one of the engine's renderers as a Renderer of this face.
type builtin struct{ r engine.Renderer }

func (b builtin) Render(c echo.Context, e *Error) error {
	return b.r.Render(engine.Ctx{Face: face{}, C: c}, e)
}

// MediaTypes returns the media types the renderer writes.
func (b builtin) MediaTypes() []string { return b.r.(httperr.MediaTyper).MediaTypes() }

// custom is a Renderer of the user's as a renderer of the engine's.
type custom struct{ r Renderer }

func (u custom) Render(x engine.Ctx, e *Error) error { return u.r.Render(x.C.(echo.Context), e) }

// customTyped is custom for a renderer that declares its media types.
type customTyped struct{ custom }

func (u customTyped) MediaTypes() []string { return u.r.(httperr.MediaTyper).MediaTypes() }

// toEngine returns the engine's view of r.
func toEngine(r Renderer) engine.Renderer {
	if b, ok := r.(builtin); ok {
		return b.r
	}
	if _, ok := r.(httperr.MediaTyper); ok {
		return customTyped{custom{r}}
	}
	return custom{r}
}

// Send writes an error response: the Content-Type header, the status, and
// the body unless the request is HEAD, which gets instead the
// Content-Length the body would have had. For other methods Send sets no
// Content-Length: net/http adds one when the whole body fits in its 2 KiB
// write buffer, and otherwise sends the body chunked on HTTP/1.1. A 204 or
// 304, which cannot have a body, gets neither body nor Content-Length.
// Content-Length, Content-Encoding and Transfer-Encoding headers set before
// are dropped: they described another body. Send is the last step of every
// built-in Renderer and meant for custom ones.
func Send(c echo.Context, code int, contentType string, body []byte) error {
	return engine.Send(engine.Ctx{Face: face{}, C: c}, code, contentType, body)
}

// JSON returns a Renderer that writes application/json:
//
//	{"code":404,"name":"Not Found","description":"..."}
//
// followed by the Extensions as extra top-level members in key order (they
// cannot replace the three canonical members; one that cannot be encoded is
// left out) and, in debug mode, a "debug" member.
func JSON() Renderer { return builtin{engine.JSON()} }

// Text returns a Renderer that writes text/plain for terminals:
//
//	404 Not Found
//
//	The requested URL was not found on this server.
//
// In debug mode the request line and headers, the error chain and the
// stack follow. Control characters other than newline and tab, and invalid
// UTF-8, are replaced with U+FFFD, so an error message cannot send escape
// sequences to a terminal.
func Text() Renderer { return builtin{engine.Text()} }

// ProblemOption configures the problem+json renderer; ProblemType and
// ProblemTypeFor make one.
type ProblemOption struct{ o engine.ProblemOption }

// ProblemType sets the "type" URI for problems with status code. The default
// type is "about:blank".
func ProblemType(code int, uri string) ProblemOption {
	return ProblemOption{engine.ProblemType(code, uri)}
}

// ProblemTypeFor sets the "type" URI for problems whose error chain holds a
// link of type T, as errors.As decides. It takes precedence over
// ProblemType; when several match, the outermost link decides, then the
// order the options were given in.
func ProblemTypeFor[T error](uri string) ProblemOption {
	return ProblemOption{engine.ProblemTypeFor[T](uri)}
}

// Problem returns a Renderer that writes RFC 9457 problem details as
// application/problem+json:
//
//	{"type":"about:blank","title":"Not Found","status":404,
//	 "detail":"The requested URL was not found on this server.","instance":"/users/7"}
//
// title is the Name, detail the Description, instance the request path.
// The Extensions follow as extension members in key order (they cannot
// replace the five standard members, in any letter case; one that cannot
// be encoded is left out), and in debug mode a "debug" member holds the error chain, the stack
// and the request line.
//
// In negotiation it serves application/problem+json and application/json.
func Problem(opts ...ProblemOption) Renderer {
	eopts := make([]engine.ProblemOption, len(opts))
	for i, o := range opts {
		eopts[i] = o.o
	}
	return builtin{engine.Problem(eopts...)}
}

// HTMLOption configures the HTML renderer; TemplateFS, TemplateFuncs,
// HomeLink and EditorLinks make one.
type HTMLOption struct{ o engine.HTMLOption }

// TemplateFS makes the HTML renderer take pages from the .html files at the
// root of fsys before its built-in ones. Page files are named after the
// status they serve: "404.html" for one status, "4xx.html" for a class, and
// "error.html" for everything. Any other .html file (such as "layout.html",
// or partials of your own) is shared by every page, built-in ones included,
// and replaces the built-in file of the same name.
//
// For an embed.FS holding a directory, pass fs.Sub(fsys, "templates").
func TemplateFS(fsys fs.FS) HTMLOption { return HTMLOption{engine.TemplateFS(fsys)} }

// HomeLink sets the target of the built-in pages' link to the home page
// (httperr.PageData.Home); the default is "/", and "" removes the link.
func HomeLink(href string) HTMLOption { return HTMLOption{engine.HomeLink(href)} }

// EditorLinks makes the debug page link each stack frame's file:line to
// your editor, as Ignition and Phoenix do: pattern is a URL holding {path}
// and {line}, such as
//
//	VS Code          vscode://file/{path}:{line}
//	JetBrains IDEs   idea://open?file={path}&line={line}
//	Sublime Text     subl://open?url=file://{path}&line={line}
//
// The path is the absolute file name the stack gives, percent-encoded
// where a URL needs it (a build with -trimpath has none: no links then).
// "" (the default) makes no links. It panics when pattern does not start
// with a URL scheme, has the scheme javascript:, vbscript: or data:, or
// lacks {path}. Templates of your own get a frame's link from the function
// editorLink, which TemplateFuncs cannot replace:
// {{with editorLink .}}<a href="{{.}}">…</a>{{end}}.
func EditorLinks(pattern string) HTMLOption { return HTMLOption{engine.EditorLinks(pattern)} }

// TemplateFuncs adds functions that the templates from TemplateFS can call,
// as template.Template.Funcs does.
func TemplateFuncs(funcs template.FuncMap) HTMLOption {
	return HTMLOption{engine.TemplateFuncs(funcs)}
}

// HTML returns a Renderer that writes html/template error pages as
// text/html. For a status, say 404, the page is the first of:
//
//	404.html, 4xx.html, error.html   from TemplateFS
//	404.html, 4xx.html, error.html   built in (404.html, 5xx.html, error.html)
//
// so a user's 4xx.html beats the built-in 404.html. A page is executed by
// its file name with a *httperr.PageData (go doc
// github.com/echoerr/echoerr/httperr.PageData lists what a page can show).
// A page of your own may stand alone, or use the built-in layout with
// {{template "layout.html" .}}, as the built-in pages do, and define the
// blocks it wants to change:
//
//	title     the <title> text: "404 Not Found"
//	heading   the <h1>: "404 Not Found"
//	content   the card's text: the heading, then the description;
//	          defining it replaces the heading too (write
//	          {{template "heading" .}} in it to keep the layout's)
//	style     CSS added after the layout's
//	head      elements added to <head>
//
// The layout then adds the error's extensions, the home link and the
// request ID to the card. The built-in pages call "heading" from their
// content; under a layout.html of your own that defines no "heading", it
// writes nothing.
//
// In debug mode every page shows the debug section, debug.html, styled by
// debug-style.html: the error's message and type, the route with its
// method, path parameters and query, the first application frame with its
// source, then the error chain, the stack, the request headers (folded)
// and the report to paste into a bug report, with a button that copies
// it as Markdown (the page's only script; without it the report is still
// there to select). The built-in layout shows the card as a small banner
// above it. A page of your own needs no template code for it: when its
// output lacks the section, the renderer adds it right after the <body>
// start tag, and its style before </head>, leaving the rest of the page as
// it is. A page that shows the section itself, with
// {{with .Debug}}{{template "debug.html" .}}{{end}}, gets it once; an
// element with id="echoerr-debug" (the section's own) marks it as shown.
// Outside debug mode nothing is added: pages are exactly what their
// templates write.
//
// Templates are parsed and checked when HTML is called: each page is run
// once with sample data, in debug mode and not, so a missing or broken
// template, or one that asks the data for what it lacks (such as
// {{template "debug.html" .}}, which hands debug.html the page's data
// instead of .Debug), panics there, with the file name, never at request
// time. A page that fails while it runs (an error of a function of
// TemplateFuncs, say) is not sent: Render returns the error, and the
// handler answers with a minimal plain-text page and logs the failure.
//
// The built-in pages need no external assets, and no JavaScript outside
// debug mode; they suit phones and desktops, and follow the browser's light
// or dark preference.
func HTML(opts ...HTMLOption) Renderer {
	eopts := make([]engine.HTMLOption, len(opts))
	for i, o := range opts {
		eopts[i] = o.o
	}
	return builtin{engine.HTML(eopts...)}
}

// Negotiate returns a Renderer that picks one of rs for each request by its
// Accept header, as RFC 9110 describes: the renderer serving the media type
// with the highest q-value wins; a media type takes the q-value of the most
// specific range that matches it (text/html beats text/* beats */*); ties go
// to the order given; q=0 excludes a type. Malformed elements of the list
// are skipped. A missing or empty Accept header, one without a valid
// element, or one that accepts none of the offered types gets the first
// renderer: error responses are never answered with 406. Media type
// parameters other than q are not compared, but a range with parameters
// ranks below the same range without. The response gets Vary: Accept.
//
// Every renderer must implement httperr.MediaTyper, the method
//
//	func (r *csvRenderer) MediaTypes() []string { return []string{"text/csv"} }
//
// (plain "type/subtype" names without parameters, most preferred first); Negotiate panics when one does
// not, or when rs is empty or holds a nil. Negotiate's own renderer
// implements it too (the union), so negotiators nest.
//
// New without WithRenderer uses
//
//	echoerr.Negotiate(echoerr.JSON(), echoerr.HTML(), echoerr.Problem(), echoerr.Text())
//
// so browsers get HTML pages while curl (*/*), fetch() and API clients get
// JSON.
func Negotiate(rs ...Renderer) Renderer {
	ers := make([]engine.Renderer, len(rs))
	for i, r := range rs {
		if r == nil {
			panic(fmt.Sprintf("echoerr: Negotiate: renderer %d is nil", i))
		}
		if _, ok := r.(httperr.MediaTyper); !ok {
			panic(fmt.Sprintf("echoerr: Negotiate: renderer %d (%T) does not declare its media types; "+
				"give it a MediaTypes() []string method (see httperr.MediaTyper)", i, r))
		}
		ers[i] = toEngine(r)
	}
	return builtin{engine.Negotiate(ers...)}
}
