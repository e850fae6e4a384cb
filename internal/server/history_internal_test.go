package server

import (
	"log/slog"
	"testing"

	"github.com/vms-project/vms/internal/relay"
)

// TestStateLogNeverBlocks: with nobody draining, the relay hook returns at
// once and counts what did not fit.
func TestStateLogNeverBlocks(t *testing.T) {
	l := NewStateLog(nil, slog.New(slog.DiscardHandler))
	for range stateQueue + 10 {
		l.OnStateChange(relay.CameraConfig{ID: 1}, relay.Status{State: relay.StateOnline})
	}
	if got := l.Dropped(); got != 10 {
		t.Errorf("dropped %d, want 10", got)
	}
}
