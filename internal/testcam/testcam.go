// Package testcam runs an independent live RTSP camera for tests: GStreamer's
// RTSP server (through Debian's python3-gi) encoding videotestsrc with x264
// or x265, so the vms RTSP client and relay are tested against a stack other
// than their own.
//
// Start skips the test when GStreamer's RTSP server is not installed, unless
// VMS_REQUIRE_GSTREAMER=1, which turns the skip into a failure (the README's
// test command sets it after scripts/deps.sh has installed the packages).
package testcam

import (
	"net"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Options describe the camera. Zero fields take the defaults noted.
type Options struct {
	Width, Height int    // default 1280x720
	FPS           int    // default 25
	BitrateKbps   int    // default 2000
	GOPFrames     int    // frames from one keyframe to the next; default 2 s worth (2×FPS)
	Codec         string // "h264" (default) or "h265"
	// Audio adds a second stream to the same session: "" (none), "pcma",
	// "pcmu", "opus" or "aac" (MPEG-4 generic, as IP cameras send it).
	Audio string
	// Username and Password, when Username is set, are required with basic
	// or digest authentication. The password may hold any characters.
	Username, Password string
}

// Camera is a running GStreamer RTSP camera serving one path, /cam. Its
// media factory is shared: every client reads the same encoder, as with a
// real camera.
type Camera struct {
	t      testing.TB
	opts   Options
	script string
	port   int

	clients  atomic.Int64
	sessions atomic.Int64
	stderr   tailBuffer

	mu   sync.Mutex
	proc *process // nil while stopped
}

// Start launches the camera on a free port of 127.0.0.1 and returns once it
// is listening. It registers Stop with t.Cleanup.
func Start(t testing.TB, opts Options) *Camera {
	t.Helper()
	opts = withDefaults(t, opts)
	c := &Camera{t: t, opts: opts, script: writeScript(t)}
	t.Cleanup(func() {
		c.Stop()
		if t.Failed() {
			t.Logf("testcam stderr:\n%s", c.stderr.String())
		}
	})

	// The free port is found by binding :0 and closing it, so another
	// process can take it before GStreamer binds: retry with a new one.
	const attempts = 5
	for i := range attempts {
		port := freePort(t)
		res := c.launch(port)
		switch {
		case res.proc != nil:
			c.port = port
			c.mu.Lock()
			c.proc = res.proc
			c.mu.Unlock()
			return c
		case res.missing != "":
			unavailable(t, res.missing)
		case res.bindFailed && i < attempts-1:
			continue
		default:
			t.Fatalf("testcam: start: %v\nstderr:\n%s", res.err, c.stderr.String())
		}
	}
	t.Fatalf("testcam: no free port after %d attempts", attempts)
	return nil
}

// URL is the camera's stream URL, without credentials.
func (c *Camera) URL() string {
	return "rtsp://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)) + "/cam"
}

// URLWithCredentials is URL with Options.Username and Password in its
// user-info part, percent-encoded.
func (c *Camera) URLWithCredentials() string {
	u, _ := url.Parse(c.URL())
	if c.opts.Username != "" {
		u.User = url.UserPassword(c.opts.Username, c.opts.Password)
	}
	return u.String()
}

// ClientCount is the number of RTSP connections the camera has accepted
// since Start, across restarts.
func (c *Camera) ClientCount() int { return int(c.clients.Load()) }

// SessionCount is the number of RTSP sessions (SETUP) clients have created
// since Start, across restarts.
func (c *Camera) SessionCount() int { return int(c.sessions.Load()) }

// WaitSessions waits until SessionCount reaches n and reports whether it
// did within timeout.
func (c *Camera) WaitSessions(n int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for c.SessionCount() < n {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// Stop kills the camera's process group and waits for it, as a power cut
// would: clients see their connections drop. It is idempotent.
func (c *Camera) Stop() {
	c.mu.Lock()
	p := c.proc
	c.proc = nil
	c.mu.Unlock()
	if p != nil {
		p.kill()
	}
}

// Restart stops the camera and starts it again on the same port, for
// "camera rebooted mid-stream" tests. Counts carry on.
func (c *Camera) Restart() {
	c.t.Helper()
	c.Stop()
	// The port is ours, but the kernel may hold it briefly after the kill.
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := c.launch(c.port)
		switch {
		case res.proc != nil:
			c.mu.Lock()
			c.proc = res.proc
			c.mu.Unlock()
			return
		case res.bindFailed && time.Now().Before(deadline):
			time.Sleep(100 * time.Millisecond)
		default:
			c.t.Fatalf("testcam: restart on port %d: %v\nstderr:\n%s", c.port, res.err, c.stderr.String())
		}
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testcam: find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
