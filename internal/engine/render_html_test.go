package engine

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltinColorsMeetWCAGContrast checks the text colours of the built-in
// layout against the backgrounds they are used on, light and dark, for WCAG
// AA (4.5:1). The palettes are read from the template, and every colour in
// them must be listed here, as text, background or decoration, so that a
// new colour cannot skip the check.
func TestBuiltinColorsMeetWCAGContrast(t *testing.T) {
	layout, err := builtinTemplates.ReadFile("templates/layout.html")
	require.NoError(t, err)
	root := regexp.MustCompile(`:root\{(?:color-scheme:[^;]*;)?(--[^}]*)\}`).FindAllStringSubmatch(string(layout), -1)
	require.Len(t, root, 2, "a light and a dark palette")
	pairs := [][2]string{
		{"fg", "bg"}, {"muted", "bg"}, {"accent", "bg"}, // text outside the card
		{"fg", "panel"}, {"muted", "panel"}, {"accent", "panel"}, // the card and the debug section
		{"c4", "panel"}, {"c5", "panel"}, // the status code of 4xx and 5xx pages
		{"fg", "code"}, {"muted", "code"}, // code blocks, the request id, extensions, line numbers
		{"fg", "mark"}, {"muted", "mark"}, // the failing source line
		{"fg", "app"}, {"muted", "app"}, // application frames' headings
		{"warn-fg", "warn-bg"},
	}
	decoration := map[string]bool{"line": true} // borders only
	var names [2][]string
	for i, m := range root {
		vars := map[string]string{}
		for _, decl := range strings.Split(m[1], ";") {
			k, v, _ := strings.Cut(decl, ":")
			name := strings.TrimPrefix(k, "--")
			vars[name] = v
			names[i] = append(names[i], name)
		}
		for _, p := range pairs {
			fg, bg := vars[p[0]], vars[p[1]]
			require.NotEmpty(t, fg, p[0])
			require.NotEmpty(t, bg, p[1])
			assert.GreaterOrEqual(t, contrast(t, fg, bg), 4.5, "palette %d: %s %s on %s %s", i, p[0], fg, p[1], bg)
		}
		for name := range vars {
			listed := decoration[name]
			for _, p := range pairs {
				listed = listed || p[0] == name || p[1] == name
			}
			assert.True(t, listed, "palette %d: colour --%s is not checked", i, name)
		}
	}
	assert.ElementsMatch(t, names[0], names[1], "the light and dark palettes name the same colours")
	for _, c := range []string{"c4", "c5"} {
		assert.Contains(t, string(layout), "var(--"+c+")", "the page uses --%s", c)
	}
}

// contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
func contrast(t *testing.T, a, b string) float64 {
	lum := func(hex string) float64 {
		require.Len(t, hex, 7, hex)
		var l float64
		for i, w := range []float64{0.2126, 0.7152, 0.0722} {
			v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
			require.NoError(t, err)
			c := float64(v) / 255
			if c <= 0.03928 {
				c /= 12.92
			} else {
				c = math.Pow((c+0.055)/1.055, 2.4)
			}
			l += w * c
		}
		return l
	}
	la, lb := lum(a), lum(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestDebugStylePaletteIsTheLayouts: the debug section's own palette (for
// pages of the user's, whose colours may be anything) is the built-in
// layout's, light and dark, so TestBuiltinColorsMeetWCAGContrast covers it.
func TestDebugStylePaletteIsTheLayouts(t *testing.T) {
	layout, err := builtinTemplates.ReadFile("templates/layout.html")
	require.NoError(t, err)
	style, err := builtinTemplates.ReadFile("templates/debug-style.html")
	require.NoError(t, err)
	palettes := func(text, selector string) []map[string]string {
		var out []map[string]string
		for _, m := range regexp.MustCompile(regexp.QuoteMeta(selector)+`\{(?:color-scheme:[^;]*;)?(--[^}]*)\}`).FindAllStringSubmatch(text, -1) {
			vars := map[string]string{}
			for _, decl := range strings.Split(m[1], ";") {
				k, v, _ := strings.Cut(decl, ":")
				vars[k] = v
			}
			out = append(out, vars)
		}
		return out
	}
	root, debug := palettes(string(layout), ":root"), palettes(string(style), ".debug")
	require.Len(t, root, 2)
	require.Len(t, debug, 2, "a light and a dark palette")
	for i := range debug {
		for k, v := range debug[i] {
			assert.Equal(t, root[i][k], v, "palette %d: %s", i, k)
		}
	}
}
