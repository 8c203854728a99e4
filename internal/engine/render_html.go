package engine

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// builtinTemplates holds the default error pages and their shared layout.
//
//go:embed templates/*.html
var builtinTemplates embed.FS

// HTMLOption configures the HTML renderer.
type HTMLOption func(*htmlConfig)

type htmlConfig struct {
	fsys  fs.FS
	home  string
	funcs template.FuncMap
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
	base := parseShared(cfg.funcs, builtinFiles, userFiles)
	r := &htmlRenderer{home: cfg.home, user: buildPages(base, userFiles), builtin: buildPages(base, builtinFiles)}
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
// template set: the built-in ones, replaced or joined by the user's.
func parseShared(funcs template.FuncMap, builtinFiles, userFiles []templateFile) *template.Template {
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
	base := template.New("").Funcs(funcs)
	for _, name := range names {
		f := shared[name]
		if _, err := base.New(name).Parse(f.text); err != nil {
			panic(fmt.Sprintf("echoerr: HTML: %s template %s: %v", f.origin, name, err))
		}
	}
	return base
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
func buildPages(base *template.Template, files []templateFile) pageSet {
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
		checkPage(t, f)
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

// checkPage runs a page once with sample data, so that html/template
// escapes it now: a page the escaper rejects (an action in an unquoted
// attribute, a template call in a different context...) or one that calls
// an undefined template fails here, not at request time. Errors that
// depend on the data are left to request time.
func checkPage(t *template.Template, f templateFile) {
	sample := &PageData{
		Code: 500, Name: "Internal Server Error", Description: "sample", Home: "/", RequestID: "id", Path: "/",
		Extensions: map[string]any{},
		Debug: &DebugInfo{
			Chain:   []DebugChainLink{{Type: "*errors.errorString", Message: "sample"}},
			Stack:   "sample",
			Request: "GET / HTTP/1.1",
			Header:  [][2]string{{"Accept", "text/html"}},
		},
	}
	err := t.Execute(io.Discard, sample)
	var escErr *template.Error
	if errors.As(err, &escErr) {
		panic(fmt.Sprintf("echoerr: HTML: %s template %s: %v", f.origin, f.name, err))
	}
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
	if err := t.Execute((*appendWriter)(buf), data); err != nil {
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
