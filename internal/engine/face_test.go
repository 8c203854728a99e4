package engine

import (
	"log/slog"
	"net/http"
	"reflect"
)

// nilFace is a Face without an Echo, for tests of the engine's own parts:
// it knows no Echo errors and keeps no request state.
type nilFace struct{}

func (nilFace) Request(c any) *http.Request       { return nil }
func (nilFace) Path(c any) string                 { return "" }
func (nilFace) Route(c any) string                { return "" }
func (nilFace) Writer(c any) http.ResponseWriter  { return nil }
func (nilFace) Header(c any) http.Header          { return nil }
func (nilFace) Written(c any) (int, bool)         { return 0, false }
func (nilFace) SetStatus(c any, code int)         {}
func (nilFace) Value(c any, key string) any       { return nil }
func (nilFace) SetValue(c any, key string, v any) {}
func (nilFace) Debug(c any) bool                  { return false }
func (nilFace) Logger(c any) *slog.Logger         { return nil }
func (nilFace) Carrier(error) (Carried, bool)     { return Carried{}, false }
func (nilFace) CarrierType(reflect.Type) bool     { return false }
func (nilFace) Reroute(c any, err error) error    { return err }
func (nilFace) Panic(error) ([]byte, error)       { return nil, nil }
