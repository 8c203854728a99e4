package httperr_test

import (
	"fmt"

	"github.com/echoerr/echoerr/httperr"
)

// StatusName and StatusDescription give every status a name and a
// sentence a client can read, also for statuses net/http has no text for.
func ExampleStatusName() {
	for _, code := range []int{404, 499, 599} {
		fmt.Printf("%d %s: %s\n", code, httperr.StatusName(code), httperr.StatusDescription(code))
	}
	// Output:
	// 404 Not Found: The requested URL was not found on this server.
	// 499 Client Closed Request: The client closed the connection before the response was sent.
	// 599 Error 599: The server could not complete the request.
}
