package facetest

import "testing"

// Run runs the behaviour suite against face, as subtests grouped by the
// sections of the design brief.
func Run(t *testing.T, face Face) {
	s := &suite{f: face, caps: face.Capabilities()}
	t.Run("Entry", s.entry)
	t.Run("Normalize", s.normalize)
	t.Run("Precedence", s.precedence)
	t.Run("Handlers", s.handlers)
	t.Run("Render", s.render)
	t.Run("Observe", s.observe)
	t.Run("Registration", s.registration)
	t.Run("Scopes", s.scopes)
	t.Run("PublicText", s.publicText)
	t.Run("Renderers", s.renderers)
	t.Run("Concurrency", s.concurrency)
	t.Run("Storms", s.storms)
}
