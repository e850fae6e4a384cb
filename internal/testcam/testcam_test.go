package testcam

import (
	"bufio"
	"encoding/base64"
	"errors"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"
)

// small keeps the encoder cheap where the picture size does not matter.
var small = Options{Width: 320, Height: 240, BitrateKbps: 300}

// dial connects and describes rawURL.
func dial(t *testing.T, rawURL string) (*gortsplib.Client, *description.Session) {
	t.Helper()
	u, err := base.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	tcp := gortsplib.TransportTCP
	c := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, Transport: &tcp}
	if err := c.Start2(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	desc, _, err := c.Describe(u)
	if err != nil {
		t.Fatalf("describe: %v", err)
	}
	return c, desc
}

// firstIDR plays url and returns the first H.264 IDR access unit, with the
// SDP's SPS/PPS prepended when the stream does not carry them in-band.
func firstIDR(t *testing.T, rawURL string) [][]byte {
	t.Helper()
	c, desc := dial(t, rawURL)
	var forma *format.H264
	medi := desc.FindFormat(&forma)
	if medi == nil {
		t.Fatal("no H.264 media")
	}
	dec, err := forma.CreateDecoder()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetupAll(desc.BaseURL, desc.Medias); err != nil {
		t.Fatal(err)
	}
	got := make(chan [][]byte, 1)
	var once sync.Once
	c.OnPacketRTP(medi, forma, func(pkt *rtp.Packet) {
		au, err := dec.Decode(pkt)
		if err == nil && h264.IsRandomAccess(au) {
			once.Do(func() { got <- au })
		}
	})
	if _, err := c.Play(nil); err != nil {
		t.Fatal(err)
	}
	select {
	case au := <-got:
		if !hasNALU(au, h264.NALUTypeSPS) && forma.SPS != nil {
			au = append([][]byte{forma.SPS, forma.PPS}, au...)
		}
		return au
	case <-time.After(10 * time.Second):
		t.Fatal("no IDR within 10 s")
		return nil
	}
}

func hasNALU(au [][]byte, typ h264.NALUType) bool {
	for _, n := range au {
		if h264.NALUType(n[0]&0x1f) == typ {
			return true
		}
	}
	return false
}

func TestCameraServesH264(t *testing.T) {
	cam := Start(t, Options{})
	au := firstIDR(t, cam.URL())
	if !hasNALU(au, h264.NALUTypeSPS) || !hasNALU(au, h264.NALUTypePPS) {
		t.Error("IDR without SPS/PPS, in-band or in the SDP")
	}
	for _, n := range au {
		if h264.NALUType(n[0]&0x1f) == h264.NALUTypeSPS {
			var sps h264.SPS
			if err := sps.Unmarshal(n); err != nil {
				t.Fatal(err)
			}
			if sps.Width() != 1280 || sps.Height() != 720 {
				t.Errorf("SPS says %dx%d, want 1280x720", sps.Width(), sps.Height())
			}
		}
	}
	if !cam.WaitSessions(1, time.Second) || cam.SessionCount() != 1 {
		t.Errorf("SessionCount = %d, want 1", cam.SessionCount())
	}
	if cam.ClientCount() < 1 {
		t.Errorf("ClientCount = %d, want ≥ 1", cam.ClientCount())
	}
}

func TestCameraAuth(t *testing.T) {
	const pass = "p@ss:w/rd#1%"
	opts := small
	opts.Username, opts.Password = "admin", pass
	cam := Start(t, opts)

	t.Run("wrong password is 401", func(t *testing.T) {
		u, err := base.ParseURL(cam.URL())
		if err != nil {
			t.Fatal(err)
		}
		u.User = urlUser("admin", "wrong")
		c := gortsplib.Client{Scheme: u.Scheme, Host: u.Host}
		if err := c.Start2(); err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, _, err = c.Describe(u)
		var bad liberrors.ErrClientBadStatusCode
		if !errors.As(err, &bad) || bad.Code != base.StatusUnauthorized {
			t.Fatalf("describe with a wrong password: %v, want 401", err)
		}
	})
	t.Run("basic auth", func(t *testing.T) {
		// gortsplib's client prefers digest, so basic is checked by hand.
		for _, tt := range []struct {
			pass, want string
		}{{pass, "RTSP/1.0 200"}, {"wrong", "RTSP/1.0 401"}} {
			if got := rawDescribeBasic(t, cam, "admin", tt.pass); !strings.HasPrefix(got, tt.want) {
				t.Errorf("basic auth with password %q: %q, want %q", tt.pass, got, tt.want)
			}
		}
	})
	t.Run("right password plays (digest)", func(t *testing.T) {
		if au := firstIDR(t, cam.URLWithCredentials()); len(au) == 0 {
			t.Fatal("no access unit")
		}
	})
}

func TestCameraRestart(t *testing.T) {
	cam := Start(t, small)
	url := cam.URL()
	firstIDR(t, url)

	cam.Restart()
	if cam.URL() != url {
		t.Fatalf("URL changed across restart: %s → %s", url, cam.URL())
	}
	firstIDR(t, url)
	if !cam.WaitSessions(2, time.Second) {
		t.Errorf("SessionCount = %d after a second session, want 2", cam.SessionCount())
	}

	cam.Stop()
	cam.Stop() // idempotent
	u, _ := base.ParseURL(url)
	c := gortsplib.Client{Scheme: u.Scheme, Host: u.Host}
	if err := c.Start2(); err == nil {
		_, _, err = c.Describe(u)
		c.Close()
		if err == nil {
			t.Error("describe succeeded on a stopped camera")
		}
	}
}

func TestCameraCodecsAndAudio(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		video format.Format
		audio format.Format
	}{
		{name: "h265", opts: Options{Codec: "h265"}, video: &format.H265{}},
		{name: "pcma", opts: Options{Audio: "pcma"}, video: &format.H264{}, audio: &format.G711{}},
		{name: "pcmu", opts: Options{Audio: "pcmu"}, video: &format.H264{}, audio: &format.G711{}},
		{name: "opus", opts: Options{Audio: "opus"}, video: &format.H264{}, audio: &format.Opus{}},
		{name: "aac", opts: Options{Audio: "aac"}, video: &format.H264{}, audio: &format.MPEG4Audio{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.Width, o.Height, o.BitrateKbps = small.Width, small.Height, small.BitrateKbps
			cam := Start(t, o)
			c, desc := dial(t, cam.URL())
			want := 1
			if tt.audio != nil {
				want = 2
			}
			if len(desc.Medias) != want {
				t.Fatalf("%d medias, want %d", len(desc.Medias), want)
			}
			if got := desc.Medias[0].Formats[0]; got.Codec() != tt.video.Codec() {
				t.Errorf("video codec %s, want %s", got.Codec(), tt.video.Codec())
			}
			if tt.audio != nil {
				if got := desc.Medias[1].Formats[0]; got.Codec() != tt.audio.Codec() {
					t.Errorf("audio codec %s, want %s", got.Codec(), tt.audio.Codec())
				}
			}
			if err := c.SetupAll(desc.BaseURL, desc.Medias); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			seen := map[*description.Media]bool{}
			c.OnPacketRTPAny(func(m *description.Media, _ format.Format, _ *rtp.Packet) {
				mu.Lock()
				seen[m] = true
				mu.Unlock()
			})
			if _, err := c.Play(nil); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				n := len(seen)
				mu.Unlock()
				if n == want {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("packets on %d of %d medias after 10 s", n, want)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

func urlUser(user, pass string) *url.Userinfo { return url.UserPassword(user, pass) }

// rawDescribeBasic sends a DESCRIBE with basic credentials (RFC 2326 §D.2.4)
// and returns the status line.
func rawDescribeBasic(t *testing.T, cam *Camera, user, pass string) string {
	t.Helper()
	u, _ := url.Parse(cam.URL())
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	cred := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	req := "DESCRIBE " + cam.URL() + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n" +
		"Authorization: Basic " + cred + "\r\n\r\n"
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(line)
}

// TestCameraBackToBackClients guards against gst-rtsp-server answering 503
// to a client that arrives while a shared media is torn down after the
// previous client left.
func TestCameraBackToBackClients(t *testing.T) {
	cam := Start(t, small)
	for i := range 15 {
		u, err := base.ParseURL(cam.URL())
		if err != nil {
			t.Fatal(err)
		}
		c := gortsplib.Client{Scheme: u.Scheme, Host: u.Host}
		if err := c.Start2(); err != nil {
			t.Fatal(err)
		}
		desc, _, err := c.Describe(u)
		if err == nil && i%2 == 0 { // every other client plays too
			if err = c.SetupAll(desc.BaseURL, desc.Medias); err == nil {
				_, err = c.Play(nil)
			}
		}
		c.Close()
		if err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	if got := cam.ClientCount(); got < 15 {
		t.Errorf("ClientCount = %d, want ≥ 15", got)
	}
}
