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
// layout against their backgrounds, light and dark, for WCAG AA (4.5:1).
func TestBuiltinColorsMeetWCAGContrast(t *testing.T) {
	layout, err := builtinTemplates.ReadFile("templates/layout.html")
	require.NoError(t, err)
	root := regexp.MustCompile(`:root\{(?:color-scheme:[^;]*;)?(--[^}]*)\}`).FindAllStringSubmatch(string(layout), -1)
	require.Len(t, root, 2, "a light and a dark palette")
	pairs := [][2]string{{"fg", "bg"}, {"muted", "bg"}, {"accent", "bg"}, {"accent", "panel"},
		{"fg", "panel"}, {"muted", "panel"}, {"fg", "code"}, {"warn-fg", "warn-bg"}}
	for i, m := range root {
		vars := map[string]string{}
		for _, decl := range strings.Split(m[1], ";") {
			k, v, _ := strings.Cut(decl, ":")
			vars[strings.TrimPrefix(k, "--")] = v
		}
		for _, p := range pairs {
			fg, bg := vars[p[0]], vars[p[1]]
			require.NotEmpty(t, fg, p[0])
			require.NotEmpty(t, bg, p[1])
			assert.GreaterOrEqual(t, contrast(t, fg, bg), 4.5, "palette %d: %s %s on %s %s", i, p[0], fg, p[1], bg)
		}
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
