package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/relay"
)

// Live status push (GET /api/v1/events): one broadcaster goroutine polls
// the relay once per second and hands each change to the subscribers
// whose scope holds the camera. Subscribers never touch the database; the
// camera → unit map is kept from the camera API's own change hooks and
// reloaded from the store every eventsUnitReload.
const (
	eventsTick       = time.Second
	eventsUnitReload = 30 * time.Second
	// eventsQueue bounds a subscriber's backlog. A subscriber that falls
	// that far behind is ended; EventSource reconnects and gets a fresh
	// snapshot.
	eventsQueue = 256
	// MaxEventStreams is how many /api/v1/events streams one user may
	// hold open at once; one more answers 429.
	MaxEventStreams = 8
)

// sseEvent is one Server-Sent Event, its data already encoded.
type sseEvent struct {
	name string
	data []byte
}

// subscriber is one open /api/v1/events stream.
type subscriber struct {
	p    accounts.Principal
	ch   chan sseEvent
	done chan struct{} // closed by end
	why  atomic.Pointer[string]
	once sync.Once
}

// end stops the stream; the handler returns soon after.
func (s *subscriber) end(why string) {
	s.once.Do(func() {
		s.why.Store(&why)
		close(s.done)
	})
}

func (s *subscriber) sees(unit string) bool {
	return accounts.Can(s.p, accounts.ActionCameraView, accounts.Resource{Unit: unit}) == nil
}

// full reports whether the subscriber may update the unit's cameras, and
// so sees their statuses unredacted, as GET /api/v1/cameras shows them.
func (s *subscriber) full(unit string) bool {
	return accounts.Can(s.p, accounts.ActionCameraUpdate, accounts.Resource{Unit: unit}) == nil
}

// statusData is one camera's status event, encoded for those who may
// update the camera (full) and for those who may only view it (redacted:
// camera addresses taken out, see redactStatus).
type statusData struct {
	full, redacted []byte
}

// forSub is the encoding sub gets for a camera of unit.
func (d statusData) forSub(sub *subscriber, unit string) []byte {
	if sub.full(unit) {
		return d.full
	}
	return d.redacted
}

// statusKey is what of a status makes an event: the fields the page
// shows. Rates (fps, bitrate) and frame counters change every second and
// are not pushed; the page reads them from GET /api/v1/cameras/{id}.
type statusKey struct {
	state                 relay.State
	reason                string
	viewers               int
	codec, profile, audio string
	width, height         int
	warnings              string
	pulling               bool
}

func keyOf(st relay.Status) statusKey {
	w, _ := json.Marshal(st.Warnings)
	return statusKey{st.State, st.Reason, st.Viewers, st.VideoCodec, st.Profile, st.AudioCodec,
		st.Width, st.Height, string(w), st.Pulling}
}

// broadcaster owns the subscribers and the last status sent per camera.
type broadcaster struct {
	relay *relay.Relay
	cams  *camera.Store
	log   *slog.Logger

	mu       sync.Mutex
	closed   bool
	subs     map[*subscriber]struct{}
	perUser  map[int64]int
	units    map[int64]string // camera id → unit code; nil until loaded
	loadedAt time.Time
	last     map[int64]statusKey
}

func newBroadcaster(r *relay.Relay, cams *camera.Store, log *slog.Logger) *broadcaster {
	return &broadcaster{relay: r, cams: cams, log: log.With("component", "events"),
		subs: map[*subscriber]struct{}{}, perUser: map[int64]int{}, last: map[int64]statusKey{}}
}

// run polls the relay until ctx ends, then ends every stream.
func (b *broadcaster) run(ctx context.Context) {
	t := time.NewTicker(eventsTick)
	defer t.Stop()
	defer b.close("server shutting down")
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.tick(ctx)
		}
	}
}

// close ends every stream and refuses new ones.
func (b *broadcaster) close(why string) {
	b.mu.Lock()
	b.closed = true
	subs := b.snapshotSubsLocked()
	b.mu.Unlock()
	for _, s := range subs {
		s.end(why)
	}
}

func (b *broadcaster) snapshotSubsLocked() []*subscriber {
	out := make([]*subscriber, 0, len(b.subs))
	for s := range b.subs {
		out = append(out, s)
	}
	return out
}

// loadUnits refreshes the camera → unit map from the store when it is
// missing or old. Called with b.mu held: one query per eventsUnitReload.
func (b *broadcaster) loadUnitsLocked(ctx context.Context) {
	if b.units != nil && time.Since(b.loadedAt) < eventsUnitReload {
		return
	}
	cams, err := b.cams.List(ctx, camera.Filter{})
	if err != nil {
		b.log.Warn("load cameras for events", "err", err)
		return
	}
	units := make(map[int64]string, len(cams))
	for _, c := range cams {
		units[c.ID] = c.UnitCode
	}
	b.units, b.loadedAt = units, time.Now()
}

// statusJSON is a camera's status as GET /api/v1/cameras shows it, in both
// encodings (encoded once per camera, not per subscriber).
func (b *broadcaster) statusJSON(id int64) (relay.Status, statusData) {
	st, ok := b.relay.Status(id)
	var v any = st
	if !ok {
		v = map[string]string{"state": "idle"}
	}
	enc := func(v any) []byte {
		data, _ := json.Marshal(struct {
			ID     int64 `json:"id"`
			Status any   `json:"status"`
		}{id, v})
		return data
	}
	d := statusData{full: enc(v)}
	d.redacted = d.full
	if ok {
		if r := redactRelayStatus(st); r.Reason != st.Reason || !slices.Equal(r.Warnings, st.Warnings) {
			d.redacted = enc(r)
		}
	}
	return st, d
}

// tick sends every changed status to the subscribers that see it.
func (b *broadcaster) tick(ctx context.Context) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loadUnitsLocked(ctx)
	for id := range b.last {
		if _, ok := b.units[id]; !ok {
			delete(b.last, id)
		}
	}
	ids := make([]int64, 0, len(b.units))
	for id := range b.units {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		st, data := b.statusJSON(id)
		k := keyOf(st)
		if old, ok := b.last[id]; ok && old == k {
			continue
		}
		b.last[id] = k
		unit := b.units[id]
		b.sendEachLocked(func(s *subscriber) (sseEvent, bool) {
			return sseEvent{"status", data.forSub(s, unit)}, s.sees(unit)
		})
	}
}

// sendLocked queues ev for every subscriber to that match selects; a full
// queue ends that subscriber instead of waiting.
func (b *broadcaster) sendLocked(ev sseEvent, to func(*subscriber) bool) {
	b.sendEachLocked(func(s *subscriber) (sseEvent, bool) { return ev, to(s) })
}

// sendEachLocked queues, for every subscriber, the event pick returns when
// it returns true; a full queue ends that subscriber instead of waiting.
func (b *broadcaster) sendEachLocked(pick func(*subscriber) (sseEvent, bool)) {
	for s := range b.subs {
		ev, ok := pick(s)
		if !ok {
			continue
		}
		select {
		case s.ch <- ev:
		default:
			s.end("client too slow")
		}
	}
}

// camerasChanged is the camera API's change hook: the unit map follows the
// change at once, and everyone who saw the camera before or sees it now is
// told to refetch the list. deleted cameras pass unit "".
func (b *broadcaster) camerasChanged(id int64, unit string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := ""
	if b.units != nil {
		old = b.units[id]
		if unit == "" {
			delete(b.units, id)
		} else {
			b.units[id] = unit
		}
	}
	b.sendLocked(sseEvent{"cameras", []byte("{}")}, func(s *subscriber) bool {
		return (old != "" && s.sees(old)) || (unit != "" && s.sees(unit))
	})
}

// streamLimitError is subscribe's answer past MaxEventStreams (429).
type streamLimitError struct{}

func (streamLimitError) Error() string { return "too many open event streams for this account" }

// closedError is subscribe's answer once the server is shutting down (503).
type closedError struct{}

func (closedError) Error() string { return "server shutting down" }

// subscribe registers p's stream and returns it with the snapshot: one
// status event per camera in p's scope, in id order. Later changes queue
// behind the snapshot, so none is lost between the two.
func (b *broadcaster) subscribe(ctx context.Context, p accounts.Principal) (*subscriber, []sseEvent, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, nil, closedError{}
	}
	if b.perUser[p.UserID] >= MaxEventStreams {
		return nil, nil, streamLimitError{}
	}
	b.loadUnitsLocked(ctx)
	s := &subscriber{p: p, ch: make(chan sseEvent, eventsQueue), done: make(chan struct{})}
	var snap []sseEvent
	ids := make([]int64, 0, len(b.units))
	for id, unit := range b.units {
		if s.sees(unit) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		_, data := b.statusJSON(id)
		snap = append(snap, sseEvent{"status", data.forSub(s, b.units[id])})
	}
	b.subs[s] = struct{}{}
	b.perUser[p.UserID]++
	return s, snap, nil
}

func (b *broadcaster) unsubscribe(s *subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[s]; !ok {
		return
	}
	delete(b.subs, s)
	if b.perUser[s.p.UserID]--; b.perUser[s.p.UserID] <= 0 {
		delete(b.perUser, s.p.UserID)
	}
}

// endWhere ends the streams match selects and returns how many.
func (b *broadcaster) endWhere(match func(accounts.Principal) bool, why string) int {
	b.mu.Lock()
	var hit []*subscriber
	for s := range b.subs {
		if match(s.p) {
			hit = append(hit, s)
		}
	}
	b.mu.Unlock()
	for _, s := range hit {
		s.end(why)
	}
	return len(hit)
}

// users lists the distinct principals holding streams (one per user: the
// first one found), for the re-check loop.
func (b *broadcaster) users() []accounts.Principal {
	b.mu.Lock()
	defer b.mu.Unlock()
	seen := map[int64]bool{}
	var out []accounts.Principal
	for s := range b.subs {
		if !seen[s.p.UserID] {
			seen[s.p.UserID] = true
			out = append(out, s.p)
		}
	}
	return out
}
