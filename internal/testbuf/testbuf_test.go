package testbuf_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spacekit/spacekit/internal/testbuf"
)

func TestBufferConcurrentWrites(t *testing.T) {
	var b testbuf.Buffer
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() { fmt.Fprintf(&b, "%d\n", i) })
	}
	wg.Wait()
	assert.Len(t, b.String(), 20, "ten lines of two bytes each")
}
