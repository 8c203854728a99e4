package engine

import (
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
)

// scope is the application or one Group or Host declared in New. It owns its
// rules and, optionally, its own renderer, logger, reporter and
// debug setting. Scopes are immutable once New returns.
type scope struct {
	name    string   // how messages name it: `Group("/api")`
	at      string   // where it was declared, file:line
	parent  *scope   // nil for the application
	prefix  string   // absolute path prefix without a trailing slash; "" for the app
	segs    int      // path segments in prefix
	pattern []string // prefix segments when one is a parameter (":id"); nil for a literal prefix
	isHost  bool
	host    string // for a Host scope: lower case, maybe "*.example.com"

	rules     []rule         // in precedence order once New sorted them (see rule)
	linkRules int            // rules[:linkRules] are rung 1
	linkTypes []reflect.Type // the concrete types rung 1 names
	anyLink   bool           // rung 1 names an interface type: every link is looked at

	renderer Renderer
	logger   *slog.Logger
	reporter func(any, *Error)
	reportIf func(*Error) bool
	debug    *bool

	use settings // what a request in this scope uses, set by New

	kids      []*scope          // every child, in declaration order
	hosts     map[string]*scope // Host children by lower-case host
	wildcards map[string]*scope // Host("*.example.com") children by ".example.com"
	literals  []literalIndex    // Group children with a literal segment below prefix, by its position
	params    []*scope          // Group children whose segments below prefix are all parameters, best first
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

// literalIndex finds the Group children whose first literal segment below
// the parent's prefix is the at-th (0-based): they are listed, best first,
// under that segment.
type literalIndex struct {
	at       int
	children map[string][]*scope
}

// isApp reports whether s is the application rather than a Group or Host.
// It holds while options are being applied, before s is linked to a
// parent, so an option that only makes sense for the whole application can
// refuse to be used in a scope.
func (s *scope) isApp() bool {
	return !s.isHost && s.prefix == ""
}

// resolve returns the innermost scope below s (the application) that
// matches r; its chain lists the matching scopes from the application down.
// At each level one child is chosen: a Host child before a Group child, as
// net/http.ServeMux prefers patterns with a host; among Group children the
// one Echo's router would prefer (see groupBefore). The cost depends on the
// depth of the chain, not on the number of scopes that do not match.
func (s *scope) resolve(r *http.Request, path string) *scope {
	var host string
	hostKnown := false
	for cur := s; ; {
		var next *scope
		if len(cur.hosts) > 0 || len(cur.wildcards) > 0 {
			if !hostKnown {
				host, hostKnown = canonicalHost(r.Host), true
			}
			next = cur.matchHost(host)
		}
		if next == nil {
			next = cur.matchPath(path)
		}
		if next == nil {
			return cur
		}
		cur = next
	}
}

// matchHost returns the Host child for host: an exact match, else the
// longest wildcard whose suffix host ends with, else nil. A wildcard
// ".example.com" needs at least one label before it, so it never matches
// example.com itself.
func (s *scope) matchHost(host string) *scope {
	if c := s.hosts[host]; c != nil {
		return c
	}
	if len(s.wildcards) == 0 {
		return nil
	}
	for i := 1; i < len(host); i++ { // from 1: the label before the suffix is not empty
		if host[i] == '.' {
			if c := s.wildcards[host[i:]]; c != nil {
				return c
			}
		}
	}
	return nil
}

// matchPath returns the Group child that covers path, or nil. Children
// are found by their first literal segment below s's prefix in one map
// lookup per position where such a segment occurs (usually just the
// first), so siblings that cannot match cost nothing. Earlier positions
// come first, as Echo's router tries a static segment before a parameter;
// children made of parameters only come last (there is at most one per
// length).
func (s *scope) matchPath(path string) *scope {
	for _, li := range s.literals {
		for _, c := range li.children[segment(path, s.segs+li.at)] {
			if c.covers(path) {
				return c
			}
		}
	}
	for _, c := range s.params {
		if c.covers(path) {
			return c
		}
	}
	return nil
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

// segment returns the i-th segment (0-based) of a path such as "/a/b/c".
func segment(path string, i int) string {
	for len(path) > 0 && path[0] == '/' {
		path = path[1:]
		end := strings.IndexByte(path, '/')
		if end < 0 {
			end = len(path)
		}
		if i == 0 {
			return path[:end]
		}
		i--
		path = path[end:]
	}
	return ""
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
	if s.pattern == nil {
		return s.prefix
	}
	var b strings.Builder
	for _, p := range s.pattern {
		b.WriteByte('/')
		if p[0] == ':' {
			p = ":"
		}
		b.WriteString(p)
	}
	return b.String()
}

// addChild links a Group or Host scope below s, refusing duplicates.
func (s *scope) addChild(c *scope, at string) {
	c.parent = s
	if c.isHost {
		key, m := c.host, &s.hosts
		if strings.HasPrefix(key, "*.") {
			key, m = key[1:], &s.wildcards
		}
		if *m == nil {
			*m = map[string]*scope{}
		}
		if d := (*m)[key]; d != nil {
			fail(at, c.name, "duplicate scope: "+d.name+" (at "+d.at+") already covers this host")
		}
		(*m)[key] = c
		s.kids = append(s.kids, c)
		return
	}
	for _, d := range s.kids {
		if !d.isHost && d.shape() == c.shape() {
			fail(at, c.name, "duplicate scope: "+d.name+" (at "+d.at+") already covers the prefix "+c.prefix)
		}
	}
	s.kids = append(s.kids, c)
	rel := strings.Split(c.prefix[1:], "/")[s.segs:]
	for at, seg := range rel {
		if seg[0] != ':' {
			s.literalIndexAt(at).add(seg, c)
			return
		}
	}
	s.params = insertGroup(s.params, c)
}

// literalIndexAt returns the index for position at, adding it in order.
func (s *scope) literalIndexAt(at int) *literalIndex {
	i := 0
	for i < len(s.literals) && s.literals[i].at < at {
		i++
	}
	if i == len(s.literals) || s.literals[i].at != at {
		s.literals = append(s.literals, literalIndex{})
		copy(s.literals[i+1:], s.literals[i:])
		s.literals[i] = literalIndex{at: at, children: map[string][]*scope{}}
	}
	return &s.literals[i]
}

func (li *literalIndex) add(seg string, c *scope) {
	li.children[seg] = insertGroup(li.children[seg], c)
}

// insertGroup adds c to list, keeping the order of groupBefore and, among
// equals, the order of declaration.
func insertGroup(list []*scope, c *scope) []*scope {
	list = append(list, c)
	for i := len(list) - 1; i > 0 && groupBefore(list[i], list[i-1]); i-- {
		list[i], list[i-1] = list[i-1], list[i]
	}
	return list
}

// groupBefore reports whether sibling Group a is preferred over b when both
// cover a path. As in Echo's router, segments are compared from the left:
// at the first position where one has a literal segment and the other a
// parameter, the literal wins; when one prefix ends first, the longer one
// wins. Two literal prefixes that both cover a path are thus ranked longest
// first.
func groupBefore(a, b *scope) bool {
	as, bs := strings.Split(a.prefix[1:], "/"), strings.Split(b.prefix[1:], "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if ap, bp := as[i][0] == ':', bs[i][0] == ':'; ap != bp {
			return bp
		}
	}
	return len(as) > len(bs)
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
	if s.parent == nil || s.isHost {
		return
	}
	base := s.parent
	for !base.isHost && base.parent != nil {
		base = base.parent
	}
	// The prefix itself is a path it covers, with each parameter standing
	// for a value that no literal segment equals.
	for cur := base; cur != s; {
		next := cur.matchPath(s.prefix)
		if next == nil {
			return // cannot happen: s's ancestors cover its prefix
		}
		if !next.isAncestorOf(s) {
			fail(s.at, s.name, fmt.Sprintf("unreachable scope: requests for %s go to %s (at %s), declared beside %s; "+
				"declare one scope inside the other instead", s.prefix, next.name, next.at, cur.nameOfChildToward(s)))
		}
		cur = next
	}
}

// isAncestorOf reports whether s is d or one of d's ancestors.
func (s *scope) isAncestorOf(d *scope) bool {
	for ; d != nil; d = d.parent {
		if d == s {
			return true
		}
	}
	return false
}

// nameOfChildToward names s's child on the way down to d.
func (s *scope) nameOfChildToward(d *scope) string {
	for d.parent != s {
		d = d.parent
	}
	return d.name
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
