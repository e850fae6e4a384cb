package relay

import "sync"

// queueItem is a frame with how it must be sent.
type queueItem struct {
	f *frame
	// burst marks cached frames sent to a new viewer; they are paced.
	burst bool
}

// viewerQueue is a bounded FIFO between the camera reader and one viewer's
// writer. push never blocks: a viewer that falls a whole queue behind is
// cut back to the next keyframe instead of slowing the camera or others.
type viewerQueue struct {
	mu      sync.Mutex
	items   []queueItem // ring buffer
	head    int
	n       int
	notify  chan struct{}
	waitKey bool // after an overflow, drop until the next video keyframe
	closed  bool
	// counters, read under mu
	dropped   uint64 // frames dropped because the viewer was too slow
	overflows uint64
	unlogged  bool // an overflow happened that takeOverflow has not reported
}

func newViewerQueue(capacity int) *viewerQueue {
	return &viewerQueue{items: make([]queueItem, capacity), notify: make(chan struct{}, 1)}
}

// push appends a frame; it reports false when the frame was dropped.
func (q *viewerQueue) push(it queueItem) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	if q.waitKey {
		if it.f.kind != kindVideo || !it.f.keyframe {
			q.dropped++
			q.mu.Unlock()
			return false
		}
		q.waitKey = false
	}
	if q.n == len(q.items) {
		// Overflow: everything queued is stale. Drop it and resume at the
		// next keyframe so the viewer gets a clean picture again.
		q.dropped += uint64(q.n) + 1
		q.overflows++
		q.unlogged = true
		clear(q.items)
		q.head, q.n = 0, 0
		q.waitKey = true
		q.mu.Unlock()
		return false
	}
	q.items[(q.head+q.n)%len(q.items)] = it
	q.n++
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
	return true
}

// pop removes the oldest item; ok is false when the queue is empty.
func (q *viewerQueue) pop() (it queueItem, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		return queueItem{}, false
	}
	it = q.items[q.head]
	q.items[q.head] = queueItem{}
	q.head = (q.head + 1) % len(q.items)
	q.n--
	return it, true
}

// requireKeyframe drops what is queued and waits for the next keyframe.
func (q *viewerQueue) requireKeyframe() {
	q.mu.Lock()
	clear(q.items)
	q.head, q.n = 0, 0
	q.waitKey = true
	q.mu.Unlock()
}

// takeOverflow reports, once per overflow, that the queue overflowed.
func (q *viewerQueue) takeOverflow() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	u := q.unlogged
	q.unlogged = false
	return u
}

func (q *viewerQueue) close() {
	q.mu.Lock()
	q.closed = true
	clear(q.items)
	q.n = 0
	q.mu.Unlock()
}

func (q *viewerQueue) stats() (dropped, overflows uint64, queued int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped, q.overflows, q.n
}

// reset drops what is queued, keeping the viewer open.
func (q *viewerQueue) reset() {
	q.mu.Lock()
	clear(q.items)
	q.head, q.n = 0, 0
	q.waitKey = false
	q.mu.Unlock()
}
