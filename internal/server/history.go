package server

import (
	"context"
	"log/slog"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/relay"
)

const (
	// stateQueue bounds the state changes waiting to be written.
	stateQueue = 1024
	// stateBatch is the most changes written in one transaction.
	stateBatch = 256
	// stateFlushTimeout bounds the last write at shutdown.
	stateFlushTimeout = 5 * time.Second
)

// StateLog records every camera state change the relay reports in the
// camera_states table (GET /api/v1/cameras/{id}/history). The relay hook
// only queues (a bounded channel; a full queue drops and counts), so the
// camera reader never waits for SQLite; Server.Run drains the queue.
type StateLog struct {
	store   *camera.Store
	log     *slog.Logger
	ch      chan camera.StateChange
	dropped atomic.Uint64
}

// NewStateLog returns the log; pass OnStateChange as relay.Hooks'
// OnStateChange and the StateLog as Deps.States.
func NewStateLog(store *camera.Store, log *slog.Logger) *StateLog {
	return &StateLog{store: store, log: log.With("component", "states"), ch: make(chan camera.StateChange, stateQueue)}
}

// OnStateChange is the relay hook: it never blocks.
func (l *StateLog) OnStateChange(cam relay.CameraConfig, st relay.Status) {
	at := st.Since
	if at.IsZero() {
		at = time.Now()
	}
	select {
	case l.ch <- camera.StateChange{CameraID: cam.ID, At: at, State: string(st.State), Reason: st.Reason}:
	default:
		l.dropped.Add(1)
	}
}

// Dropped is how many changes were lost to a full queue.
func (l *StateLog) Dropped() uint64 { return l.dropped.Load() }

// retrying is the backoff note the relay appends to a reason; it changes
// on every attempt and does not make a new state worth a row.
var retrying = regexp.MustCompile(` \(retrying in [^)]*\)$`)

// run writes queued changes until ctx ends, then what is left. A change
// that repeats the camera's last row (same state, same reason but for the
// retry note) is not written again.
func (l *StateLog) run(ctx context.Context) {
	last := map[int64]camera.StateChange{}
	var reported uint64
	write := func(ctx context.Context, batch []camera.StateChange) {
		var keep []camera.StateChange
		for _, c := range batch {
			prev, ok := last[c.CameraID]
			if ok && prev.State == c.State && retrying.ReplaceAllString(prev.Reason, "") == retrying.ReplaceAllString(c.Reason, "") {
				continue
			}
			last[c.CameraID] = c
			keep = append(keep, c)
		}
		if len(keep) == 0 {
			return
		}
		if err := l.store.RecordStates(ctx, keep, camera.KeepHistory); err != nil {
			l.log.Warn("record camera states", "changes", len(keep), "err", err)
		}
		if d := l.dropped.Load(); d != reported {
			l.log.Warn("camera state changes dropped (queue full)", "total", d)
			reported = d
		}
	}
	for {
		select {
		case <-ctx.Done():
			flush, cancel := context.WithTimeout(context.WithoutCancel(ctx), stateFlushTimeout)
			defer cancel()
			write(flush, l.drain(nil))
			return
		case c := <-l.ch:
			write(ctx, l.drain([]camera.StateChange{c}))
		}
	}
}

// drain appends what is queued, up to stateBatch changes.
func (l *StateLog) drain(batch []camera.StateChange) []camera.StateChange {
	for len(batch) < stateBatch {
		select {
		case c := <-l.ch:
			batch = append(batch, c)
		default:
			return batch
		}
	}
	return batch
}
