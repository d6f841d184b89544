package reliability

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// connCounter counts the connections that a client's transport opens and closes.
type connCounter struct {
	dialer net.Dialer
	opened atomic.Int64
	closed atomic.Int64
}

// open returns the connections opened and not yet closed.
func (c *connCounter) open() int64 { return c.opened.Load() - c.closed.Load() }

func (c *connCounter) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	conn, err := c.dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.opened.Add(1)
	return &countedConn{Conn: conn, counter: c}, nil
}

// transport returns a transport that dials through c and keeps up to 64 idle connections.
func (c *connCounter) transport() *http.Transport {
	return &http.Transport{
		DialContext:         c.dial,
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     30 * time.Second,
	}
}

type countedConn struct {
	net.Conn
	counter *connCounter
	once    sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.counter.closed.Add(1) })
	return c.Conn.Close()
}

// TCP states in /proc/net/tcp that hold a connection open on the server's side.
const (
	tcpEstablished = "01"
	tcpCloseWait   = "08"
)

// serverConns returns the IPv4 TCP connections whose local port is port and that are
// established or wait for the server to close them, as Linux lists them in /proc/net/tcp.
// ok is false where that file does not exist.
func serverConns(port int) (count int, ok bool) {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	want := fmt.Sprintf(":%04X", port)
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) < 4 || !strings.HasSuffix(fields[1], want) {
			continue
		}
		if fields[3] == tcpEstablished || fields[3] == tcpCloseWait {
			count++
		}
	}
	return count, true
}

// waitFor polls cond every 20 ms until it holds or timeout passes, and reports whether it
// held. Connections close asynchronously, on both sides of the loopback.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}
