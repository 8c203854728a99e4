package echoerr

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
)

// TestRequestIDHeaderIsCanonical: requestID looks the header up by this
// key, which must be the form http.Header.Set stores echo.HeaderXRequestID
// under.
func TestRequestIDHeaderIsCanonical(t *testing.T) {
	assert.Equal(t, http.CanonicalHeaderKey(echo.HeaderXRequestID), requestIDHeader)
}
