package engine

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
)

// scope is the application or one Group or Host declared in New. It owns
// its rules and, optionally, its own renderer, logger, reporter and debug
// setting. Scopes are immutable once New returns.
type scope struct {
	name    string   // how messages name it: `Group("/api")`
	at      string   // where it was declared, file:line
	parent  *scope   // nil for the application
	prefix  string   // a Group's absolute path prefix without a trailing slash; "" otherwise
	pattern []string // prefix segments when one is a parameter (":id"); nil for a literal prefix
	host    string   // a Host scope's host: lower case, maybe "*.example.com"; "" otherwise

	rules     []rule         // in precedence order once New sorted them (see rule)
	linkRules int            // rules[:linkRules] are rung 1
	linkTypes []reflect.Type // the concrete types rung 1 names
	anyLink   bool           // rung 1 names an interface type: every link is looked at

	renderer Renderer
	logger   *slog.Logger
	reporter func(any, *Error)
	reportIf func(*Error) bool
	debug    *bool

	appModules []string // the application's, besides the main module (AppModules)

	use settings // what a request in this scope uses, set by New

	kids []*scope // every child; New sorts them in the order resolve tries them
}

// settings are what a request in a scope uses: for each of the renderer,
// logger, reporter, report filter and debug switch, the value of the nearest
// scope that sets it. They are computed once by New, so that handling an
// error does not search the chain.
type settings struct {
	renderer Renderer
	logger   *slog.Logger // nil: the face's logger, else slog.Default(), when the error happens
	reporter func(any, *Error)
	reportIf func(*Error) bool
	debug    *bool // nil: the face's default
	handlers bool  // a scope from the application down to this one has handlers
}

// inherit overrides the settings s sets itself.
func (u *settings) inherit(s *scope) {
	if s.renderer != nil {
		u.renderer = s.renderer
	}
	if s.logger != nil {
		u.logger = s.logger
	}
	if s.reporter != nil {
		u.reporter = s.reporter
	}
	if s.reportIf != nil {
		u.reportIf = s.reportIf
	}
	if s.debug != nil {
		u.debug = s.debug
	}
	u.handlers = u.handlers || len(s.rules) > 0
}

// isApp reports whether s is the application rather than a Group or Host.
// It holds while options are being applied, before s is linked to a
// parent, so an option that only makes sense for the whole application can
// refuse to be used in a scope.
func (s *scope) isApp() bool { return s.prefix == "" && s.host == "" }

// resolve returns the innermost scope below s (the application) that
// matches r: at each level, the first child that matches, in the order New
// sorted them (see compareSiblings). Its chain lists the matching scopes
// from the application down.
func (s *scope) resolve(r *http.Request, path string) *scope {
	host := ""
	if len(s.kids) > 0 && s.kids[0].host != "" { // Host scopes sort first, and only the application has them
		host = canonicalHost(r.Host)
	}
	for c := s.choose(host, path); c != nil; c = s.choose(host, path) {
		s = c
	}
	return s
}

// choose returns the first of s's children that matches host (canonical)
// and path, or nil.
func (s *scope) choose(host, path string) *scope {
	for _, c := range s.kids {
		if c.matches(host, path) {
			return c
		}
	}
	return nil
}

// matches reports whether the child scope s matches a request, its parent
// matching: a Group by its prefix, a Host by the host, exactly or, for a
// wildcard "*.example.com", by a suffix ".example.com" after at least one
// more character, so never example.com itself.
func (s *scope) matches(host, path string) bool {
	switch {
	case s.host == "":
		return s.covers(path)
	case strings.HasPrefix(s.host, "*."):
		return len(host) > len(s.host)-1 && strings.HasSuffix(host, s.host[1:])
	}
	return host == s.host
}

// compareSiblings orders a scope's children as resolve tries them. Host
// scopes come before Groups, as net/http.ServeMux prefers patterns with a
// host, the longest first: an exact host before a wildcard that also
// matches it (it is longer than the wildcard's suffix), a longer wildcard
// before a shorter one. Groups come as Echo's router prefers them: at the
// first position where one prefix has a literal segment and the other a
// parameter, the literal first; else the longer prefix first. Ties keep
// the order of declaration.
func compareSiblings(a, b *scope) int {
	if a.host != "" || b.host != "" {
		return cmp.Compare(len(strings.TrimPrefix(b.host, "*")), len(strings.TrimPrefix(a.host, "*")))
	}
	as, bs := strings.Split(a.prefix[1:], "/"), strings.Split(b.prefix[1:], "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if ap, bp := as[i][0] == ':', bs[i][0] == ':'; ap && !bp {
			return 1
		} else if bp && !ap {
			return -1
		}
	}
	return cmp.Compare(len(bs), len(as))
}

// covers reports whether the Group scope s's prefix covers path.
func (s *scope) covers(path string) bool {
	if s.pattern == nil {
		return hasPathPrefix(path, s.prefix)
	}
	return matchPattern(path, s.pattern)
}

// hasPathPrefix reports whether prefix covers path segment by segment:
// "/api" covers "/api", "/api/" and "/api/x", never "/apix".
func hasPathPrefix(path, prefix string) bool {
	return strings.HasPrefix(path, prefix) && (len(path) == len(prefix) || path[len(prefix)] == '/')
}

// matchPattern is hasPathPrefix for a prefix with parameters: a segment
// ":name" matches any one segment, as Echo's router matches a parameter:
// an empty one too when more path follows ("/users//profile" is routed
// into e.Group("/users/:id") with id ""), but not an empty last one
// ("/users/" is not).
func matchPattern(path string, pattern []string) bool {
	for _, p := range pattern {
		if len(path) == 0 || path[0] != '/' {
			return false
		}
		path = path[1:]
		end := strings.IndexByte(path, '/')
		if end < 0 {
			end = len(path)
		}
		if seg := path[:end]; p[0] == ':' && seg == "" && end == len(path) || p[0] != ':' && seg != p {
			return false
		}
		path = path[end:]
	}
	return true
}

// canonicalHost strips the port and a trailing dot and lower-cases host,
// without allocating when it is already lower case.
func canonicalHost(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	for i := 0; i < len(host); i++ {
		if c := host[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(host)
		}
	}
	return host
}

// shape is a Group prefix with parameter names dropped: "/users/:id" and
// "/users/:uid" are the same prefix.
func (s *scope) shape() string {
	segs := strings.Split(s.prefix, "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") {
			segs[i] = ":"
		}
	}
	return strings.Join(segs, "/")
}

// addChild links a Group or Host scope below s, refusing duplicates.
func (s *scope) addChild(c *scope, at string) {
	c.parent = s
	for _, d := range s.kids {
		switch {
		case c.host != "" && d.host == c.host:
			fail(at, c.name, "duplicate scope: "+d.name+" (at "+d.at+") already covers this host")
		case c.host == "" && d.host == "" && d.shape() == c.shape():
			fail(at, c.name, "duplicate scope: "+d.name+" (at "+d.at+") already covers the prefix "+c.prefix)
		}
	}
	s.kids = append(s.kids, c)
}

// checkReachable panics when a Group declared in s's tree can never be
// chosen for the paths it covers, because a sibling of one of its ancestors
// takes them: Group("/api", Group("/v1")) next to Group("/api/v1"), say.
// A prefix that is shadowed for some parameter values only (Group("/u/:id")
// next to Group("/u/me")) is not refused: that is how Echo routes too.
func (s *scope) checkReachable() {
	for _, c := range s.kids {
		c.checkReachable()
	}
	if s.parent == nil || s.host != "" {
		return
	}
	base := s.parent
	for base.host == "" && base.parent != nil {
		base = base.parent
	}
	// The prefix itself is a path it covers, with each parameter standing
	// for a value that no literal segment equals. At each level down from
	// base, the child toward s covers it: it must be the one chosen.
	for cur := base; cur != s; {
		toward := s
		for toward.parent != cur {
			toward = toward.parent
		}
		next := cur.choose("", s.prefix)
		if next != toward {
			fail(s.at, s.name, fmt.Sprintf("unreachable scope: requests for %s go to %s (at %s), declared beside %s; "+
				"declare one scope inside the other instead", s.prefix, next.name, next.at, toward.name))
		}
		cur = next
	}
}

// validPrefix checks a Group prefix and returns why it is bad, or "".
func validPrefix(p string) string {
	switch {
	case p == "" || p == "/":
		return "empty prefix: options for the whole application go directly in New"
	case p[0] != '/':
		return "prefix must start with /"
	case strings.HasSuffix(p, "/"):
		return "prefix must not end with / (write " + strings.TrimRight(p, "/") + ")"
	case strings.ContainsAny(p, "?#"):
		return "prefix must be a path: no query or fragment"
	case strings.Contains(p, "*"):
		return "wildcards are not supported: a prefix already covers every path below it"
	}
	for _, seg := range strings.Split(p[1:], "/") {
		switch {
		case seg == "":
			return "prefix has an empty segment"
		case seg == "." || seg == "..":
			return "prefix has a dot segment"
		case seg == ":":
			return "parameter without a name"
		case strings.Contains(seg[1:], ":"):
			return "a parameter must be a whole segment, such as /users/:id"
		}
	}
	return ""
}

// validHost checks a Host pattern and returns why it is bad, or "".
func validHost(h string) string {
	switch {
	case h == "":
		return "empty host"
	case len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']' && !strings.ContainsAny(h, "/@ *"):
		return "" // an IPv6 literal, as in the Host header
	case strings.ContainsAny(h, "/:@ "):
		return "host must be a bare name: no scheme, port, path or spaces"
	case strings.Contains(h[1:], "*") || (h[0] == '*' && !strings.HasPrefix(h, "*.")):
		return `only a leading "*." wildcard is supported`
	case h == "*." || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") || strings.Contains(h, ".."):
		return "host has an empty label"
	}
	return ""
}

// patternOf returns the segments of prefix when one is a parameter, or nil.
func patternOf(prefix string) []string {
	if !strings.Contains(prefix, "/:") {
		return nil
	}
	return strings.Split(prefix[1:], "/")
}
