package relay

import (
	"context"
	"time"
)

// pacer is a token bucket for the instant-start burst. Sending a whole
// cached GOP at once overflows receivers' socket buffers; about five times
// the stream's bitrate was measured lossless on loopback.
type pacer struct {
	rate   float64 // bytes per second
	burst  float64 // bucket size in bytes
	tokens float64
	last   time.Time
}

func newPacer(rate, burst float64) *pacer {
	return &pacer{rate: rate, burst: burst, tokens: burst, last: time.Now()}
}

// wait blocks until n bytes may be sent; it returns false if ctx ended.
func (p *pacer) wait(ctx context.Context, n int) bool {
	now := time.Now()
	p.tokens = min(p.burst, p.tokens+now.Sub(p.last).Seconds()*p.rate)
	p.last = now
	p.tokens -= float64(n)
	if p.tokens >= 0 {
		return true
	}
	d := time.Duration(-p.tokens / p.rate * float64(time.Second))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
