package engine

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"sort"
	"strings"
	texttemplate "text/template"

	"github.com/echoerr/echoerr/httperr"
	"github.com/echoerr/echoerr/internal/engine/debugpage"
)

// builtinTemplates holds the default error pages and their shared layout.
//
//go:embed templates/*.html
var builtinTemplates embed.FS

// HTMLOption configures the HTML renderer.
type HTMLOption func(*htmlConfig)

type htmlConfig struct {
	fsys         fs.FS
	home, editor string
	funcs        template.FuncMap
}

// TemplateFS makes the HTML renderer take pages from the .html files at the
// root of fsys before its built-in ones. Page files are named after the
// status they serve: "404.html" for one status, "4xx.html" for a class, and
// "error.html" for everything. Any other .html file (such as "layout.html",
// or partials of your own) is shared by every page, built-in ones included,
// and replaces the built-in file of the same name.
//
// For an embed.FS holding a directory, pass fs.Sub(fsys, "templates").
func TemplateFS(fsys fs.FS) HTMLOption {
	return func(c *htmlConfig) { c.fsys = fsys }
}

// HomeLink sets the target of the built-in pages' link to the home page
// (PageData.Home); the default is "/", and "" removes the link.
func HomeLink(href string) HTMLOption {
	return func(c *htmlConfig) { c.home = href }
}

// EditorLinks makes the debug page link each frame's file:line to an
// editor: pattern is a URL with {path} and {line} in it, such as
// "vscode://file/{path}:{line}"; "" (the default) makes no links. It
// panics on a pattern that cannot make a link (see
// debugpage.CheckEditorPattern). Templates get the links from the function
// editorLink, given a frame.
func EditorLinks(pattern string) HTMLOption {
	if err := debugpage.CheckEditorPattern(pattern); pattern != "" && err != nil {
		panic("echoerr: EditorLinks: " + err.Error())
	}
	return func(c *htmlConfig) { c.editor = pattern }
}

// TemplateFuncs adds functions that the templates from TemplateFS can call,
// as template.Template.Funcs does.
func TemplateFuncs(funcs template.FuncMap) HTMLOption {
	return func(c *htmlConfig) {
		if c.funcs == nil {
			c.funcs = template.FuncMap{}
		}
		for k, v := range funcs {
			c.funcs[k] = v
		}
	}
}

// HTML returns a Renderer that writes html/template error pages as
// text/html. For a status, say 404, the page is the first of:
//
//	404.html, 4xx.html, error.html   from TemplateFS
//	404.html, 4xx.html, error.html   built in (404.html, 5xx.html, error.html)
//
// so a user's 4xx.html beats the built-in 404.html. A page is executed by
// its file name with a *PageData. The built-in pages call the shared layout
// with {{template "layout.html" .}} and define the blocks "title",
// "content", "style" and "head" of it; the layout lists the error's
// extensions (PageData.ExtensionList) and, in debug mode only, shows the
// debug page through "debug.html": the error chain, the failing goroutine's
// frames with the source around the application's own, the request and a
// text to paste into a bug report. A page of your own may use the layout
// the same way, or stand alone.
//
// Templates are parsed and checked when HTML is called: a missing or broken
// template panics there, with the file name, never at request time. A page
// that fails while it runs is not sent: Render returns the error, and the
// handler answers with a minimal plain-text page and logs the failure.
//
// The built-in pages need no external assets or JavaScript, suit phones
// and desktops, and follow the browser's light or dark preference.
func HTML(opts ...HTMLOption) Renderer {
	cfg := htmlConfig{home: "/"}
	for _, o := range opts {
		o(&cfg)
	}
	builtin, err := fs.Sub(builtinTemplates, "templates")
	if err != nil {
		panic("echoerr: HTML: " + err.Error())
	}
	builtinFiles := readTemplates(builtin, "built-in")
	var userFiles []templateFile
	if cfg.fsys != nil {
		userFiles = readTemplates(cfg.fsys, "TemplateFS")
		if len(userFiles) == 0 {
			panic("echoerr: HTML: TemplateFS holds no .html files at its root" +
				" (for an embed.FS with a directory, pass fs.Sub(fsys, \"dir\"))")
		}
	}
	funcs := maps.Clone(cfg.funcs) // editorLink is the renderer's own: a pure function (see pureBuiltins)
	if funcs == nil {
		funcs = template.FuncMap{}
	}
	funcs["editorLink"] = func(f httperr.DebugFrame) template.URL { return debugpage.EditorLink(cfg.editor, f.File, f.Line) }
	base, note := parseShared(funcs, builtinFiles, userFiles)
	r := &htmlRenderer{home: cfg.home, user: buildPages(base, userFiles, note), builtin: buildPages(base, builtinFiles, note)}
	if r.builtin.fallback == nil {
		panic("echoerr: HTML: built-in error.html missing")
	}
	r.skeletons = &skeletons{home: cfg.home, safe: map[*template.Template]bool{}, m: map[skeletonKey]*skeleton{}}
	for _, set := range []pageSet{r.user, r.builtin} {
		for _, t := range set.all() {
			r.skeletons.safe[t] = skeletonSafe(t)
		}
	}
	return r
}

// parseShared parses the shared files, those that are not pages, into one
// template set: the built-in ones, replaced or joined by the user's. note
// names the user's, for the messages of checkPage.
func parseShared(funcs template.FuncMap, builtinFiles, userFiles []templateFile) (base *template.Template, note string) {
	shared := map[string]templateFile{}
	for _, files := range [][]templateFile{builtinFiles, userFiles} {
		for _, f := range files {
			if _, _, ok := pageKey(f.name); !ok {
				shared[f.name] = f
			}
		}
	}
	names := make([]string, 0, len(shared))
	for name := range shared {
		names = append(names, name)
	}
	sort.Strings(names)
	base = template.New("").Funcs(funcs)
	var users []string
	for _, name := range names {
		f := shared[name]
		if f.origin != "built-in" {
			users = append(users, name)
		}
		if _, err := base.New(name).Parse(f.text); err != nil {
			panic(fmt.Sprintf("echoerr: HTML: %s template %s: %v", f.origin, name, err))
		}
	}
	if len(users) > 0 {
		note = " (with TemplateFS's " + strings.Join(users, ", ") + ")"
	}
	return base, note
}

// templateFile is one .html file read from a file system.
type templateFile struct {
	name, text, origin string
}

func readTemplates(fsys fs.FS, origin string) []templateFile {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		panic(fmt.Sprintf("echoerr: HTML: %s: %v", origin, err))
	}
	files := make([]templateFile, 0, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic(fmt.Sprintf("echoerr: HTML: %s template %s: %v", origin, name, err))
		}
		files = append(files, templateFile{name: path.Base(name), text: string(b), origin: origin})
	}
	return files
}

// pageKey tells what a page file serves: one status ("404.html"), a class
// of statuses ("4xx.html", class 4) or every status ("error.html", class
// 0). ok is false for shared files.
func pageKey(name string) (code, class int, ok bool) {
	stem, isHTML := strings.CutSuffix(name, ".html")
	switch {
	case !isHTML:
		return 0, 0, false
	case stem == "error":
		return 0, 0, true
	case len(stem) != 3 || stem[0] < '1' || stem[0] > '9':
		return 0, 0, false
	case stem[1:] == "xx":
		return 0, int(stem[0] - '0'), true
	case isDigit(stem[1]) && isDigit(stem[2]):
		return int(stem[0]-'0')*100 + int(stem[1]-'0')*10 + int(stem[2]-'0'), 0, true
	}
	return 0, 0, false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// pageSet holds the pages of one origin, by what they serve.
type pageSet struct {
	exact    map[int]*template.Template
	class    [10]*template.Template
	fallback *template.Template
}

// all returns every page of s.
func (s *pageSet) all() []*template.Template {
	var ts []*template.Template
	for _, t := range s.exact {
		ts = append(ts, t)
	}
	for _, t := range append(s.class[:], s.fallback) {
		if t != nil {
			ts = append(ts, t)
		}
	}
	return ts
}

func (s *pageSet) lookup(code int) *template.Template {
	if t := s.exact[code]; t != nil {
		return t
	}
	if c := code / 100; c >= 0 && c < len(s.class) && s.class[c] != nil {
		return s.class[c]
	}
	return s.fallback
}

// buildPages parses each page file into its own copy of the shared
// templates, and checks that it can run.
func buildPages(base *template.Template, files []templateFile, note string) pageSet {
	var s pageSet
	for _, f := range files {
		code, class, ok := pageKey(f.name)
		if !ok {
			continue
		}
		set, err := base.Clone()
		if err != nil {
			panic(fmt.Sprintf("echoerr: HTML: %s template %s: %v", f.origin, f.name, err))
		}
		t, err := set.New(f.name).Parse(f.text)
		if err != nil {
			panic(fmt.Sprintf("echoerr: HTML: %s template %s: %v", f.origin, f.name, err))
		}
		checkPage(t, f, note)
		switch {
		case code != 0:
			if s.exact == nil {
				s.exact = map[int]*template.Template{}
			}
			s.exact[code] = t
		case class != 0:
			s.class[class] = t
		default:
			s.fallback = t
		}
	}
	return s
}

// checkPage runs a page as Render would with sample data, once without
// and once with debug detail (debugpage.SamplePages), so that html/template
// escapes it now and the page's use of the data is tried: a page the
// escaper rejects (an action in an unquoted attribute...), one that calls
// an undefined template, or one that asks the data for what it lacks (a
// field, or .Debug's fields outside debug mode; {{template "debug.html" .}}
// given the page's data instead of .Debug) fails here, not at request
// time. A function's error (TemplateFuncs, index...) may depend on the
// data: those are left to request time.
func checkPage(t *template.Template, f templateFile, note string) {
	for _, sample := range debugpage.SamplePages() {
		var buf []byte
		err := execute(t, sample, &buf)
		var exec texttemplate.ExecError
		if err != nil && (!errors.As(err, &exec) || errors.Unwrap(exec.Err) == nil) {
			panic(fmt.Sprintf("echoerr: HTML: %s template %s%s fails on sample data, debug mode %v: %v"+
				" (a page's data is a *PageData; debug.html's is its .Debug)", f.origin, f.name, note, sample.Debug != nil, err))
		}
	}
}

// execute writes page t for data to buf: in debug mode with the debug
// section and its style added where the page lacks them (see
// debugpage.Inject), so that a page of the user's keeps debug mode.
func execute(t *template.Template, data *PageData, buf *[]byte) error {
	err := t.Execute((*appendWriter)(buf), data)
	if err != nil || data.Debug == nil {
		return err
	}
	*buf, err = debugpage.Inject(*buf, func(name string) ([]byte, error) {
		var part appendWriter
		err := t.ExecuteTemplate(&part, name, data.Debug)
		return part, err
	})
	return err
}

type htmlRenderer struct {
	home          string
	user, builtin pageSet
	skeletons     *skeletons
	pool          bufferPool
}

// MIMETextHTML is the media type of the HTML renderer.
const MIMETextHTML = "text/html"

// page returns the page for code: the user's pages first, then the
// built-in ones.
func (r *htmlRenderer) page(code int) *template.Template {
	if t := r.user.lookup(code); t != nil {
		return t
	}
	return r.builtin.lookup(code)
}

func (r *htmlRenderer) contentType() string { return MIMETextHTML + "; charset=UTF-8" }

// MediaTypes returns the media type of the HTML renderer.
func (r *htmlRenderer) MediaTypes() []string { return []string{MIMETextHTML} }

func (r *htmlRenderer) Render(x Ctx, e *Error) error {
	t := r.page(e.Code)
	req := x.Request()
	data := &PageData{
		Code:        e.Code,
		Name:        e.Name,
		Description: e.Description,
		Extensions:  e.Extensions,
		Debug:       e.Debug,
		RequestID:   requestID(req.Header, x.Header()),
		Home:        r.home,
		Path:        req.URL.Path,
	}
	buf := r.pool.get()
	defer r.pool.put(buf)
	var ok bool
	if *buf, ok = r.skeletons.write(*buf, t, data); ok {
		return Send(x, e.Code, MIMETextHTML+"; charset=UTF-8", *buf)
	}
	if err := execute(t, data, buf); err != nil {
		return fmt.Errorf("echoerr: HTML page %s: %w", t.Name(), err)
	}
	return Send(x, e.Code, MIMETextHTML+"; charset=UTF-8", *buf)
}

// appendWriter is an io.Writer that appends to a byte slice.
type appendWriter []byte

func (w *appendWriter) Write(p []byte) (int, error) {
	*w = append(*w, p...)
	return len(p), nil
}
