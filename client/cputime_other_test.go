//go:build !unix

package client

import "time"

// processCPUTime returns false, because this platform has no getrusage.
func processCPUTime() (time.Duration, bool) {
	return 0, false
}
