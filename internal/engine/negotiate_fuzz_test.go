package engine

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzAcceptParser checks the Accept parser from the inside: negotiate
// agrees with quality, the rule written out for one offered type at a time,
// q-values stay in 0–1000 and agree with strconv for well-formed ones,
// whatever the header holds.
func FuzzAcceptParser(f *testing.F) {
	for _, a := range []string{
		"", "*/*", "text/html", "text/*;q=0.5, */*;q=0.1", "application/json;q=0",
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		`text/html;level="1,2";q=0.3`, "a/b;q=1.000;ext=1", ";q=0.5", "*/html", "text/html;q=.5",
	} {
		f.Add(a, "text/csv")
	}
	f.Fuzz(func(t *testing.T, accept, extra string) {
		offers := [][]string{{"application/json"}, {"text/html"}, {"application/problem+json", "application/json"}, {"text/plain"}}
		if validMediaType(extra) {
			offers = append(offers, []string{extra})
		}
		got := negotiate(accept, offers)
		if want := negotiateEach(accept, offers); got != want {
			t.Fatalf("negotiate(%q) = %d, one type at a time %d", accept, got, want)
		}
		if got < 0 || got >= len(offers) {
			t.Fatalf("negotiate(%q) = %d, out of range", accept, got)
		}
		for rest := accept; rest != ""; {
			var elem string
			elem, rest = cutElement(rest)
			r, ok := parseElement(elem)
			if ok && (r.q < 0 || r.q > 1000 || r.spec < 0 || r.spec > 3) {
				t.Fatalf("parseElement(%q): q=%d spec=%d", elem, r.q, r.spec)
			}
		}
		checkQ(t, strings.TrimSpace(extra))
	})
}

// negotiateEach is the model of negotiate: the first group holding the
// type with the highest positive quality, 0 when none has one.
func negotiateEach(accept string, offers [][]string) int {
	best, bestQ := 0, 0
	for i, types := range offers {
		for _, t := range types {
			if q := quality(accept, t); q > bestQ {
				best, bestQ = i, q
			}
		}
	}
	return best
}

// quality returns the q-value (0–1000) that accept gives the media type
// offer: that of the first of the most specific ranges matching it, 0 when
// none does.
func quality(accept, offer string) int {
	otyp, osub, _ := strings.Cut(offer, "/")
	bestSpec, bestQ := -1, 0
	for rest := accept; rest != ""; {
		var elem string
		elem, rest = cutElement(rest)
		r, ok := parseElement(elem)
		if !ok {
			continue
		}
		matches := r.typ == "*" ||
			strings.EqualFold(r.typ, otyp) && (r.sub == "*" || strings.EqualFold(r.sub, osub))
		if matches && r.spec > bestSpec {
			bestSpec, bestQ = r.spec, r.q
		}
	}
	return bestQ
}

// checkQ compares parseQ with strconv.ParseFloat on s.
func checkQ(t *testing.T, s string) {
	q, ok := parseQ(s)
	if !ok {
		return
	}
	if q < 0 || q > 1000 {
		t.Fatalf("parseQ(%q) = %d", s, q)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && len(s) <= 5 && int(f*1000+0.5) != q {
		t.Fatalf("parseQ(%q) = %d, ParseFloat = %v", s, q, f)
	}
}
