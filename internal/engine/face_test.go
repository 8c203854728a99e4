package engine

import (
	"net/http"
)

// nilFace is a Face without an Echo, for tests of the engine's own parts:
// it knows no Echo errors and keeps no request state.
type nilFace struct{}

func (nilFace) Request(c any) *http.Request      { return nil }
func (nilFace) Info(c any) RequestInfo           { return RequestInfo{} }
func (nilFace) PathParams(c any) [][2]string     { return nil }
func (nilFace) Writer(c any) http.ResponseWriter { return nil }
func (nilFace) Written(c any) (int, bool)        { return 0, false }
func (nilFace) SetStatus(c any, code int)        {}
func (nilFace) Keep(c any, v any) any            { return nil }
func (nilFace) Link(error) Link                  { return Link{} }
func (nilFace) Reroute(c any, err error) error   { return err }
