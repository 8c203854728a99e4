package echoerr_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSmokeWrappedHTTPErrorKeepsStatus(t *testing.T) {
	f := newFixture(t)
	f.failWith("/x", fmt.Errorf("lookup: %w", echo.NewHTTPError(http.StatusConflict, "already there")))
	rec := f.do(http.MethodGet, "/x")
	require.Equal(t, http.StatusConflict, rec.Code)
	m := decodeJSON(t, rec.Body)
	assert.Equal(t, "already there", m["description"])
	assert.Equal(t, "Conflict", m["name"])
	assert.Len(t, f.Log.Records(), 1)
	rec = f.do(http.MethodGet, "/nope")
	require.Equal(t, http.StatusNotFound, rec.Code)
	t.Log(rec.Body.String(), rec.Header())
}
