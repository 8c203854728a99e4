package engine

// This file holds the multi-pattern matcher that redaction (debug.go) and
// the removal of panic stacks from error text (bound.go) share: one pass
// over a text finds every pattern, however many there are (Aho–Corasick).

// matcher finds a set of patterns in a text in one pass: a trie of the
// patterns with, for each node, the longest proper suffix of its text that
// is also a node (fail) and the nearest such suffix that is a whole
// pattern (dict). Building it costs the patterns' total length; a scan
// costs the text's length (each byte is one transition, and every failure
// hop undoes a step of depth gained before), plus what pick does for each
// pattern it is shown. A nil *matcher has no patterns.
type matcher struct {
	longest int // the longest pattern's length
	nodes   []acNode
	root    [256]int32 // the root's transitions; 0 is the root itself
	// steps counts transitions, failure hops and patterns shown to pick,
	// over the matcher's life: tests read it to see that the work is
	// linear.
	steps int
}

// acNode is a node of the trie. Its children are a list (child, then each
// child's sibling), so that a node is one small value: a Cookie header
// of a thousand cookies makes a trie of some 100 000 nodes.
type acNode struct {
	child   int32 // the first child, 0 for none
	sibling int32 // the next child of the same parent, 0 for none
	fail    int32
	dict    int32 // 0: none
	word    int32 // the length of the pattern ending here, 0 for none
	c       byte  // the byte leading here from the parent
}

// newMatcher returns a matcher of patterns, or nil when there are none.
// Empty patterns are ignored.
func newMatcher(patterns []string) *matcher {
	if len(patterns) == 0 {
		return nil
	}
	size := 1 // a node per byte of the patterns at most, and the root
	for _, p := range patterns {
		size += len(p)
	}
	// Allocated once, at its most: a Cookie header of 5 000 cookies makes
	// some 150 000 nodes, and growing the slice by doubling allocated
	// twice that (FuzzFaceInvariants' linearity check, bytes allocated).
	m := &matcher{nodes: make([]acNode, 1, size)}
	for _, p := range patterns {
		m.insert(p)
	}
	if len(m.nodes) == 1 {
		return nil
	}
	m.link()
	return m
}

// insert adds p to the trie.
func (m *matcher) insert(p string) {
	if p == "" {
		return
	}
	n := int32(0)
	for i := 0; i < len(p); i++ {
		next := m.child(n, p[i])
		if next == 0 {
			next = int32(len(m.nodes))
			m.nodes = append(m.nodes, acNode{c: p[i]})
			if n == 0 {
				m.root[p[i]] = next
			} else {
				m.nodes[next].sibling = m.nodes[n].child
				m.nodes[n].child = next
			}
		}
		n = next
	}
	m.nodes[n].word = int32(len(p))
	m.longest = max(m.longest, len(p))
}

// child returns n's transition on c, or 0 when it has none.
func (m *matcher) child(n int32, c byte) int32 {
	if n == 0 {
		return m.root[c]
	}
	for k := m.nodes[n].child; k != 0; k = m.nodes[k].sibling {
		if m.nodes[k].c == c {
			return k
		}
	}
	return 0
}

// link sets fail and dict, breadth first: a node's suffixes are shallower.
func (m *matcher) link() {
	queue := make([]int32, 0, len(m.nodes))
	for _, n := range m.root {
		if n != 0 {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for k := m.nodes[u].child; k != 0; k = m.nodes[k].sibling {
			f := m.next(m.nodes[u].fail, m.nodes[k].c)
			m.nodes[k].fail = f
			if m.nodes[f].word > 0 {
				m.nodes[k].dict = f
			} else {
				m.nodes[k].dict = m.nodes[f].dict
			}
			queue = append(queue, k)
		}
	}
}

// next is the automaton's transition from n on c.
func (m *matcher) next(n int32, c byte) int32 {
	m.steps++
	for n != 0 {
		if next := m.child(n, c); next != 0 {
			return next
		}
		n = m.nodes[n].fail
		m.steps++
	}
	return m.root[c]
}

// verdict is pick's answer for one occurrence of a pattern.
type verdict int

const (
	take verdict = iota // cover it
	skip                // leave it; show the next shorter pattern ending here
	stop                // leave it and every shorter one ending here
)

// span is a part s[start:end] of a text.
type span struct{ start, end int }

// cover returns the parts of s to replace: for each position, the
// occurrences of patterns ending there are shown to pick longest first,
// until pick takes one or says stop; the occurrences taken are merged where
// they overlap. The result is sorted and disjoint. pick must say take or
// stop after a bounded number of skips, for the scan to stay linear.
func (m *matcher) cover(s string, pick func(s string, start, end int) verdict) []span {
	if m == nil {
		return nil
	}
	var out []span
	n := int32(0)
	for i := 0; i < len(s); i++ {
		n = m.next(n, s[i])
		p := n
		if m.nodes[p].word == 0 {
			p = m.nodes[p].dict
		}
		for ; p != 0; p = m.nodes[p].dict {
			m.steps++
			start := i + 1 - int(m.nodes[p].word)
			v := pick(s, start, i+1)
			if v == take {
				out = merge(out, span{start, i + 1})
			}
			if v != skip {
				break
			}
		}
	}
	return out
}

// merge appends sp to out, which is sorted and disjoint and ends no later
// than sp, merging the spans sp overlaps.
func merge(out []span, sp span) []span {
	for len(out) > 0 && out[len(out)-1].end > sp.start {
		sp.start = min(sp.start, out[len(out)-1].start)
		out = out[:len(out)-1]
	}
	return append(out, sp)
}

// replaceSpans returns s with each of spans (sorted, disjoint) replaced by
// with.
func replaceSpans(s string, spans []span, with string) string {
	if len(spans) == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+len(spans)*len(with))
	last := 0
	for _, sp := range spans {
		b = append(b, s[last:sp.start]...)
		b = append(b, with...)
		last = sp.end
	}
	b = append(b, s[last:]...)
	return string(b)
}
