package client

import (
	"context"
	"fmt"
	"time"
)

// waitFor waits for d or until ctx is done, whichever comes first. It does not start a wait
// that would end at or after ctx's deadline: it returns at once with an error that wraps
// [context.DeadlineExceeded], because no attempt could follow such a wait.
func waitFor(ctx context.Context, d time.Duration) error {
	if deadline, ok := ctx.Deadline(); ok && !time.Now().Add(d).Before(deadline) {
		return fmt.Errorf("a wait of %v would pass the context deadline: %w", d,
			context.DeadlineExceeded)
	}
	if d <= 0 {
		return ctx.Err()
	}

	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// waitForLimiter takes one token from the rate limiter, waiting for it with waitFor. On an
// error it returns the token. rate.Limiter.Wait (x/time v0.16.0) also refuses a wait past the
// deadline, but its error does not wrap context.DeadlineExceeded, so the reservation is made
// and waited for here.
func (c *Client) waitForLimiter(ctx context.Context) error {
	if c.limiter == nil {
		return nil
	}
	reservation := c.limiter.Reserve()
	if !reservation.OK() {
		return fmt.Errorf("rate limiter: no token can be reserved with burst %d",
			c.limiter.Burst())
	}
	if err := waitFor(ctx, reservation.Delay()); err != nil {
		reservation.Cancel()
		return fmt.Errorf("rate limiter: %w", err)
	}
	return nil
}
