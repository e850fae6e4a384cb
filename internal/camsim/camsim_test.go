package camsim

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"
	"go.uber.org/goleak"
)

func startSim(t *testing.T, cfg Config) *Sim {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// received is what a test client saw on one path.
type received struct {
	mu        sync.Mutex
	aus       int
	idrs      int
	idrParams bool // every IDR access unit carried SPS and PPS in-band
	first     time.Time
	last      time.Time
	tsJumps   []uint32 // RTP timestamp deltas between access units other than one frame
	seqGaps   int
	lastTS    uint32
	lastSeq   uint16
	havePkt   bool
	sdpSPS    []byte
	sdpPPS    []byte
}

// play reads url with transport until d has passed since the first access unit.
func play(t *testing.T, url string, transport gortsplib.Transport, d time.Duration) *received {
	t.Helper()
	u, err := base.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := gortsplib.Client{Scheme: u.Scheme, Host: u.Host, Transport: &transport}
	if err := c.Start2(); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	desc, _, err := c.Describe(u)
	if err != nil {
		t.Fatalf("describe: %v", err)
	}
	var forma *format.H264
	medi := desc.FindFormat(&forma)
	if medi == nil {
		t.Fatal("no H.264 media in SDP")
	}
	dec, err := forma.CreateDecoder()
	if err != nil {
		t.Fatal(err)
	}
	r := &received{idrParams: true, sdpSPS: forma.SPS, sdpPPS: forma.PPS}
	if err := c.SetupAll(desc.BaseURL, desc.Medias); err != nil {
		t.Fatalf("setup: %v", err)
	}
	// OnPacketRTP must follow SETUP: before it the client has no media to attach to.
	c.OnPacketRTP(medi, forma, func(pkt *rtp.Packet) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.havePkt && pkt.SequenceNumber != r.lastSeq+1 {
			r.seqGaps++
		}
		r.lastSeq, r.havePkt = pkt.SequenceNumber, true
		au, err := dec.Decode(pkt)
		if err != nil {
			if !errors.Is(err, rtph264.ErrMorePacketsNeeded) && !errors.Is(err, rtph264.ErrNonStartingPacketAndNoPrevious) {
				t.Errorf("decode: %v", err)
			}
			return
		}
		now := time.Now()
		if r.aus == 0 {
			r.first = now
		} else if delta := pkt.Timestamp - r.lastTS; delta != rtpPerFrame {
			r.tsJumps = append(r.tsJumps, delta)
		}
		r.aus++
		r.last, r.lastTS = now, pkt.Timestamp
		if h264.IsRandomAccess(au) {
			r.idrs++
			var sps, pps bool
			for _, n := range au {
				switch h264.NALUType(n[0] & 0x1f) {
				case h264.NALUTypeSPS:
					sps = true
				case h264.NALUTypePPS:
					pps = true
				}
			}
			r.idrParams = r.idrParams && sps && pps
		}
	})
	if _, err := c.Play(nil); err != nil {
		t.Fatalf("play: %v", err)
	}
	deadline := time.Now().Add(d + 3*time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		done := r.aus > 0 && r.last.Sub(r.first) >= d
		r.mu.Unlock()
		if done {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.Close()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r
}

func TestSimServesLiveH264(t *testing.T) {
	defer goleak.VerifyNone(t)

	tests := []struct {
		name      string
		transport gortsplib.Transport
		cameras   int
		path      string
	}{
		// With 25 cameras, /cam25 starts 10 frames before the clip ends, so
		// the loop boundary falls inside the capture.
		{name: "tcp across loop boundary", transport: gortsplib.TransportTCP, cameras: 25, path: "cam25"},
		{name: "udp", transport: gortsplib.TransportUDP, cameras: 2, path: "/cam1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSim(t, Config{Cameras: tt.cameras})
			const capture = 2500 * time.Millisecond
			r := play(t, s.URL(tt.path), tt.transport, capture)

			elapsed := r.last.Sub(r.first)
			if elapsed < capture {
				t.Fatalf("received %d access units over %v, want %v of video", r.aus, elapsed, capture)
			}
			fps := float64(r.aus-1) / elapsed.Seconds()
			if fps < 20 || fps > 30 {
				t.Errorf("access units at %.1f/s, want ≈25", fps)
			}
			if r.idrs == 0 {
				t.Error("no IDR access unit received")
			}
			if !r.idrParams {
				t.Error("an IDR arrived without in-band SPS/PPS")
			}
			if len(r.sdpSPS) == 0 || len(r.sdpPPS) == 0 {
				t.Error("SDP lacks sprop-parameter-sets")
			}
			if len(r.tsJumps) > 0 {
				t.Errorf("RTP timestamp deltas other than %d between frames: %v", rtpPerFrame, r.tsJumps)
			}
			if tt.transport == gortsplib.TransportTCP && r.seqGaps > 0 {
				t.Errorf("%d RTP sequence gaps over TCP", r.seqGaps)
			}
			s.Close()
		})
	}
}

func TestSimSharesOneStream(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := startSim(t, Config{Cameras: 1, DisableUDP: true})

	var wg sync.WaitGroup
	results := make([]*received, 3)
	for i := range results {
		wg.Go(func() { results[i] = play(t, s.URL("cam1"), gortsplib.TransportTCP, time.Second) })
	}
	wg.Wait()
	for i, r := range results {
		if r.aus < 20 {
			t.Errorf("reader %d got %d access units in ≥1 s, want ≥ 20", i, r.aus)
		}
	}
	s.Close()
}

func TestSimRequests(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := startSim(t, Config{Cameras: 2, Username: "admin", Password: "p@ss:w/rd#1%"})

	tests := []struct {
		name       string
		user, pass string
		path       string
		wantStatus base.StatusCode // 0: success
	}{
		{name: "right credentials", user: "admin", pass: "p@ss:w/rd#1%", path: "/cam2"},
		{name: "wrong password", user: "admin", pass: "nope", path: "/cam2", wantStatus: base.StatusUnauthorized},
		{name: "no credentials", path: "/cam1", wantStatus: base.StatusUnauthorized},
		{name: "unknown path", user: "admin", pass: "p@ss:w/rd#1%", path: "/cam3", wantStatus: base.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := base.ParseURL(s.URL(tt.path))
			if err != nil {
				t.Fatal(err)
			}
			if tt.user != "" {
				u.User = url.UserPassword(tt.user, tt.pass)
			}
			c := gortsplib.Client{Scheme: u.Scheme, Host: u.Host}
			if err := c.Start2(); err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, _, err = c.Describe(u)
			var bad liberrors.ErrClientBadStatusCode
			switch {
			case tt.wantStatus == 0 && err != nil:
				t.Fatalf("describe: %v", err)
			case tt.wantStatus != 0 && !errors.As(err, &bad):
				t.Fatalf("describe: got %v, want status %d", err, tt.wantStatus)
			case tt.wantStatus != 0 && bad.Code != tt.wantStatus:
				t.Fatalf("describe: status %d, want %d", bad.Code, tt.wantStatus)
			}
		})
	}
	s.Close()
}

func TestSimRunStopsOnCancel(t *testing.T) {
	defer goleak.VerifyNone(t)
	s, err := New(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Paths(); len(got) != DefaultCameras || got[0] != "/cam1" {
		t.Errorf("Paths() = %v", got)
	}
	if !bytes.HasPrefix([]byte(s.URL("cam1")), []byte("rtsp://127.0.0.1:")) {
		t.Errorf("URL = %q", s.URL("cam1"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	s.Close() // idempotent
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{name: "negative cameras", cfg: Config{Cameras: -1}},
		{name: "too many cameras", cfg: Config{Cameras: 257}},
		{name: "odd udp port", cfg: Config{UDPPort: 5001}},
		{name: "bad address", cfg: Config{Addr: "127.0.0.1:notaport"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := New(tt.cfg, nil); err == nil {
				s.Close()
				t.Fatal("New succeeded, want an error")
			}
		})
	}
}
