package faultcam_test

import (
	"crypto/tls"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"github.com/vms-project/vms/internal/faultcam"
)

func loadClip(t *testing.T, name string) *faultcam.Clip {
	t.Helper()
	c, err := faultcam.LoadClip("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadFixtures(t *testing.T) {
	for _, name := range []string{"h264_360p.h264", "h264_longgop.h264", "h264_bframes.h264", "h264_4k.h264", "h265_360p.h265"} {
		c := loadClip(t, name)
		keys := 0
		for _, f := range c.Frames {
			if f.IDR {
				keys++
			}
		}
		t.Logf("%s: %s, %d frames, %d keyframes", name, c.Codec, len(c.Frames), keys)
		if keys == 0 || len(c.Frames) < 4 {
			t.Errorf("%s: %d frames, %d keyframes", name, len(c.Frames), keys)
		}
	}
	for _, a := range []struct {
		name string
		load func() (*faultcam.AudioClip, error)
	}{
		{"pcmu", func() (*faultcam.AudioClip, error) { return faultcam.LoadG711("testdata/pcmu_8k.raw", 8000) }},
		{"pcma16", func() (*faultcam.AudioClip, error) { return faultcam.LoadG711("testdata/pcma_16k.raw", 16000) }},
		{"aac", func() (*faultcam.AudioClip, error) { return faultcam.LoadAAC("testdata/aac_16k.adts") }},
	} {
		ac, err := a.load()
		if err != nil || len(ac.Payloads) < 20 {
			t.Errorf("%s: %v", a.name, err)
		}
	}
}

// play pulls cam with gortsplib and counts the video packets it receives.
func play(t *testing.T, rawURL string, transport *gortsplib.Transport, tlsCfg *tls.Config) (*gortsplib.Client, *atomic.Int64, error) {
	t.Helper()
	u, err := base.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	c := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, Transport: transport, TLSConfig: tlsCfg, ReadTimeout: 5 * time.Second}
	if err := c.Start2(); err != nil {
		return nil, nil, err
	}
	t.Cleanup(c.Close)
	desc, _, err := c.Describe(u)
	if err != nil {
		return nil, nil, err
	}
	var n atomic.Int64
	var h264 *format.H264
	m := desc.FindFormat(&h264)
	if m == nil {
		t.Fatal("no H.264 in SDP")
	}
	if _, err := c.Setup(desc.BaseURL, m, 0, 0); err != nil {
		return nil, nil, err
	}
	c.OnPacketRTP(m, h264, func(*rtp.Packet) { n.Add(1) })
	if _, err := c.Play(nil); err != nil {
		return nil, nil, err
	}
	return c, &n, nil
}

func waitPackets(t *testing.T, n *atomic.Int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for n.Load() < 20 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d packets", n.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCameraServesGortsplib(t *testing.T) {
	clip := loadClip(t, "h264_360p.h264")
	tcp, udp := gortsplib.TransportTCP, gortsplib.TransportUDP
	tlsCfg, fp, err := faultcam.SelfSignedTLS()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		cfg       faultcam.Config
		transport *gortsplib.Transport
		user      string
		wantTr    string
	}{
		{"tcp", faultcam.Config{}, &tcp, "", "TCP"},
		{"udp", faultcam.Config{}, &udp, "", "UDP"},
		{"auto falls back on 461", faultcam.Config{UDP: faultcam.UDPRefuse}, nil, "", "TCP"},
		{"camera-chosen channels", faultcam.Config{Interleaved: 20}, &tcp, "", "TCP"},
		{"digest", faultcam.Config{Username: "admin", Password: "p@ss:w/rd#?%"}, &tcp, "admin:p%40ss%3Aw%2Frd%23%3F%25@", "TCP"},
		{"basic", faultcam.Config{Username: "admin", Password: "x", Auth: faultcam.AuthBasic}, &udp, "admin:x@", "UDP"},
		{"rtsps", faultcam.Config{TLS: tlsCfg}, &tcp, "", "TCP"},
		{"single NAL units", faultcam.Config{SingleNALU: true, MaxPayload: 60000}, &tcp, "", "TCP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Video = clip
			cam, err := faultcam.Start(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer cam.Close()
			u := strings.Replace(cam.URL(), "://", "://"+tc.user, 1)
			var tlsClient *tls.Config
			if tc.cfg.TLS != nil {
				tlsClient = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // test against a self-signed camera (fingerprint " + fp + ")
			}
			_, n, err := play(t, u, tc.transport, tlsClient)
			if err != nil {
				t.Fatal(err)
			}
			waitPackets(t, n)
			if st := cam.Stats(); len(st.Transports) != 1 || st.Transports[0] != tc.wantTr {
				t.Errorf("transports = %v, want [%s]", st.Transports, tc.wantTr)
			}
		})
	}
	_ = fp
}

func TestCameraRefusesWrongPasswordAndRedirects(t *testing.T) {
	clip := loadClip(t, "h264_360p.h264")
	cam, err := faultcam.Start(faultcam.Config{Video: clip, Username: "admin", Password: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	tcp := gortsplib.TransportTCP
	if _, _, err := play(t, strings.Replace(cam.URL(), "://", "://admin:wrong@", 1), &tcp, nil); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong password: err = %v, want 401", err)
	}
	target, err := faultcam.Start(faultcam.Config{Video: clip})
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	redir, err := faultcam.Start(faultcam.Config{Video: clip, Redirect: func(string) string { return target.URL("/moved") }})
	if err != nil {
		t.Fatal(err)
	}
	defer redir.Close()
	_, n, err := play(t, redir.URL(), &tcp, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitPackets(t, n)
}

func TestFaults(t *testing.T) {
	clip := loadClip(t, "h264_360p.h264")
	// The refusal lasts long enough that a loaded machine still retries
	// inside it; the camera listens again once it is over.
	const at, refuse = 500 * time.Millisecond, 5 * time.Second
	cam, err := faultcam.Start(faultcam.Config{Video: clip, Faults: []faultcam.Fault{{At: at, Kind: faultcam.RefuseConnections, For: refuse}}})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	tcp := gortsplib.TransportTCP
	c, _, err := play(t, cam.URL(), &tcp, nil)
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	if err := c.Wait(); err == nil {
		t.Fatal("session survived a reset")
	}
	if _, _, err := play(t, cam.URL(), &tcp, nil); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("while refusing: err = %v", err)
	}
	time.Sleep(time.Until(started.Add(at + refuse + 500*time.Millisecond)))
	_, n, err := play(t, cam.URL(), &tcp, nil)
	if err != nil {
		t.Fatalf("after refusing: %v", err)
	}
	waitPackets(t, n)
}
