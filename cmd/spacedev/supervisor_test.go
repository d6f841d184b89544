package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBackoff(t *testing.T) {
	policy := crashPolicy{restart: true, maxRestarts: 4, backoffMin: 500 * time.Millisecond,
		backoffMax: 3 * time.Second, stableAfter: time.Minute}
	type step struct {
		ran   time.Duration
		delay time.Duration
		ok    bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"doubles up to the maximum", []step{
			{time.Second, 500 * time.Millisecond, true},
			{time.Second, time.Second, true},
			{time.Second, 2 * time.Second, true},
			{time.Second, 3 * time.Second, true},
			{time.Second, 0, false},
		}},
		{"a stable run starts over", []step{
			{time.Second, 500 * time.Millisecond, true},
			{time.Second, time.Second, true},
			{time.Minute, 500 * time.Millisecond, true},
			{time.Second, time.Second, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &backoff{policy: policy}
			for i, s := range tt.steps {
				delay, ok := b.next(s.ran)
				assert.Equal(t, s.ok, ok, "step %d", i)
				assert.Equal(t, s.delay, delay, "step %d", i)
			}
		})
	}
}

func TestBackoffWithoutRestarts(t *testing.T) {
	b := &backoff{policy: crashPolicy{maxRestarts: 0, backoffMin: time.Second,
		backoffMax: time.Minute, stableAfter: time.Minute}}
	_, ok := b.next(time.Hour)
	assert.False(t, ok)
}
