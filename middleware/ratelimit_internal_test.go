package middleware

import (
	"crypto/sha256"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientLimitersMemoryIsBounded(t *testing.T) {
	t.Parallel()
	c, err := newClientLimiters(RateLimitOptions{Rate: 1, Burst: 1, MaxClients: 100,
		IdleTimeout: time.Minute})
	require.NoError(t, err)
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

	for i := range 1000 {
		c.allow(sha256.Sum256([]byte(strconv.Itoa(i))), start)
	}
	assert.Equal(t, 100, c.len())
	assert.Len(t, c.clients, 100)

	c.allow(sha256.Sum256([]byte("latest")), start.Add(time.Minute))
	assert.Equal(t, 1, c.len(), "idle clients are dropped")
	assert.Len(t, c.clients, 1)
}

func TestClientLimitersDefaults(t *testing.T) {
	t.Parallel()
	c, err := newClientLimiters(RateLimitOptions{Rate: 1, Burst: 5})
	require.NoError(t, err)
	assert.Equal(t, DefaultMaxClients, c.maxClients)
	assert.Equal(t, time.Minute, c.idle)

	c, err = newClientLimiters(RateLimitOptions{Rate: 0.01, Burst: 5})
	require.NoError(t, err)
	assert.Equal(t, 500*time.Second, c.idle)
}
