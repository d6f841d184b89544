// Package testbuf holds a buffer that tests share between a writer, such as a logger or a
// child process, and the test that reads what it wrote.
package testbuf

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer that is safe for one goroutine to write while another reads it.
// The zero value is empty and ready to use.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer. It never returns an error.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns the contents written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
