// Package engine is echoerr's Echo-free core: normalization of errors, the
// precedence ladder, scopes, negotiation, the renderers' bodies, redaction
// and observation. The two faces, github.com/echoerr/echoerr for Echo v4 and
// github.com/echoerr/echoerr/v5 for Echo v5, bind it to their Echo through
// the Face interface; users import a face, never this package.
package engine
