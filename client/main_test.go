package client

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(closeAfterRun{m})
}

// closeAfterRun stops the benchmark server, which all benchmarks of a run share, before goleak
// looks for goroutines that outlived the tests.
type closeAfterRun struct {
	m *testing.M
}

func (r closeAfterRun) Run() int {
	code := r.m.Run()
	stopBenchServer()
	return code
}
