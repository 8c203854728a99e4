package echoerr

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// scope is the application or one Group or Host declared in New. It owns a
// ladder of handlers and, optionally, its own renderer, logger, reporter and
// debug setting. Scopes are immutable once New returns.
type scope struct {
	name   string // how messages name it: `Group("/api")`
	prefix string // absolute path prefix without a trailing slash; "" for the app
	segs   int    // path segments in prefix
	isHost bool
	host   string // for a Host scope: lower case, maybe "*.example.com"

	ladder   ladder
	renderer Renderer
	logger   *slog.Logger
	reporter func(echo.Context, *Error)
	reportIf func(*Error) bool
	debug    *bool

	chain []*scope // the application down to this scope, set by New
	typed bool     // a scope in chain has rung-1 handlers, set by New

	hosts     map[string]*scope   // Host children by lower-case host
	wildcards map[string]*scope   // Host("*.example.com") children by ".example.com"
	paths     map[string][]*scope // Group children by their first segment below prefix, longest prefix first
}

// resolve returns the innermost scope below s (the application) that
// matches r; its chain lists the matching scopes from the application down.
// A host scope is preferred over a path sibling, and the longest matching
// prefix over a shorter sibling, as net/http.ServeMux prefers host patterns
// and longer patterns.
func (s *scope) resolve(r *http.Request) *scope {
	var host string
	hostKnown := false
	path := echo.GetPath(r)
	for cur := s; ; {
		var next *scope
		if len(cur.hosts) > 0 || len(cur.wildcards) > 0 {
			if !hostKnown {
				host, hostKnown = canonicalHost(r.Host), true
			}
			next = cur.matchHost(host)
		}
		if next == nil && len(cur.paths) > 0 {
			next = cur.matchPath(path)
		}
		if next == nil {
			return cur
		}
		cur = next
	}
}

func (s *scope) matchHost(host string) *scope {
	if c := s.hosts[host]; c != nil {
		return c
	}
	for i := 0; i < len(host); i++ {
		if host[i] == '.' {
			if c := s.wildcards[host[i:]]; c != nil {
				return c
			}
		}
	}
	return nil
}

func (s *scope) matchPath(path string) *scope {
	for _, c := range s.paths[segment(path, s.segs)] {
		if hasPathPrefix(path, c.prefix) {
			return c
		}
	}
	return nil
}

// hasPathPrefix reports whether prefix covers path segment by segment:
// "/api" covers "/api", "/api/" and "/api/x", never "/apix".
func hasPathPrefix(path, prefix string) bool {
	return strings.HasPrefix(path, prefix) && (len(path) == len(prefix) || path[len(prefix)] == '/')
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

// addChild links a Group or Host scope below s, refusing duplicates.
func (s *scope) addChild(c *scope, b *builder, at string) {
	if c.isHost {
		host := c.host
		if strings.HasPrefix(host, "*.") {
			key := host[1:]
			if s.wildcards == nil {
				s.wildcards = map[string]*scope{}
			}
			if s.wildcards[key] != nil {
				b.fail(at, c.name, "duplicate scope: this host already has a scope here")
			}
			s.wildcards[key] = c
			return
		}
		if s.hosts == nil {
			s.hosts = map[string]*scope{}
		}
		if s.hosts[host] != nil {
			b.fail(at, c.name, "duplicate scope: this host already has a scope here")
		}
		s.hosts[host] = c
		return
	}
	key := segment(c.prefix, s.segs)
	for _, sib := range s.paths[key] {
		if sib.prefix == c.prefix {
			b.fail(at, c.name, "duplicate scope: the prefix "+c.prefix+" already has a scope here")
		}
	}
	if s.paths == nil {
		s.paths = map[string][]*scope{}
	}
	list := append(s.paths[key], c)
	for i := len(list) - 1; i > 0 && list[i].segs > list[i-1].segs; i-- {
		list[i], list[i-1] = list[i-1], list[i]
	}
	s.paths[key] = list
}

// validPrefix checks a Group prefix and returns why it is bad, or "".
func validPrefix(p string) string {
	switch {
	case p == "" || p == "/":
		return "empty prefix: options for the whole application go directly in New"
	case p[0] != '/':
		return "prefix must start with /"
	case strings.HasSuffix(p, "/"):
		return "prefix must not end with /"
	case strings.Contains(p, "//"):
		return "prefix has an empty segment"
	case strings.ContainsAny(p, ":*?#"):
		return "prefix must be literal: parameters, wildcards, queries and fragments are not supported"
	}
	return ""
}

// validHost checks a Host pattern and returns why it is bad, or "".
func validHost(h string) string {
	switch {
	case h == "":
		return "empty host"
	case strings.ContainsAny(h, "/:@ "):
		return "host must be a bare name: no scheme, port, path or spaces"
	case strings.Contains(h[1:], "*") || (h[0] == '*' && !strings.HasPrefix(h, "*.")):
		return `only a leading "*." wildcard is supported`
	case h == "*." || strings.HasPrefix(h, ".") || strings.HasSuffix(h, "."):
		return "host has an empty label"
	}
	return ""
}
