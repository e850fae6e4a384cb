package rtsp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// maxRedirects bounds the redirects followed for one DESCRIBE.
const maxRedirects = 5

// Errors for camera behaviour the relay cannot work around.
var (
	ErrTooManyRedirects = errors.New("camera redirected too many times (a redirect loop?); use the final stream URL")
	errSSRCChanged      = errors.New("camera changed its RTP SSRC mid-stream; restarting the session")
)

// sessionHooks watch one gortsplib session's requests and responses and
// work around camera quirks the library does not handle (README.md). The
// callbacks run in gortsplib's goroutines.
type sessionHooks struct {
	p    *Puller
	auto bool // transport auto: gortsplib may switch to TCP

	mu         sync.Mutex
	transport  string
	refused461 bool
	notes      []string // why the transport is not the first choice
	sdp        sdpFix
	redirects  int
	loopedTo   string
	getParam   map[string]bool // CSeq of GET_PARAMETER keepalives in flight
	playing    bool
	info       StreamInfo
	endErr     error
	closeOnce  sync.Once
	close      func()
	ssrcSwitch atomic.Int64 // source changes rewritten over TCP
}

func newSessionHooks(p *Puller, transport string, auto bool) *sessionHooks {
	return &sessionHooks{p: p, auto: auto, transport: transport, getParam: map[string]bool{}}
}

// onRequest turns GET_PARAMETER keepalives into OPTIONS once the camera
// refused one: gortsplib picks GET_PARAMETER whenever OPTIONS lists it.
func (s *sessionHooks) onRequest(req *base.Request) {
	if req.Method != base.GetParameter {
		return
	}
	if s.p.noGetParameter.Load() {
		req.Method = base.Options
		return
	}
	if cseq := req.Header["CSeq"]; len(cseq) == 1 {
		s.mu.Lock()
		s.getParam[cseq[0]] = true
		s.mu.Unlock()
	}
}

func (s *sessionHooks) onResponse(res *base.Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cseq := res.Header["CSeq"]; len(cseq) == 1 && s.getParam[strings.TrimSpace(cseq[0])] {
		delete(s.getParam, strings.TrimSpace(cseq[0]))
		if res.StatusCode >= 300 && !s.p.noGetParameter.Swap(true) {
			s.p.log.Info("camera refused a GET_PARAMETER keepalive; using OPTIONS", "status", res.StatusCode)
		}
	}
	halveSessionTimeout(res)
	if res.StatusCode == base.StatusUnsupportedTransport {
		s.refused461 = true
	}
	if res.StatusCode >= base.StatusMovedPermanently && res.StatusCode <= base.StatusUseProxy && len(res.Header["Location"]) == 1 {
		s.redirects++
		if s.redirects > maxRedirects {
			// Without a Location gortsplib stops with the status code.
			s.loopedTo = res.Header["Location"][0]
			delete(res.Header, "Location")
		}
	}
	if ct := res.Header["Content-Type"]; len(ct) == 1 && strings.HasPrefix(ct[0], "application/sdp") && len(res.Body) > 0 {
		res.Body, s.sdp = sanitizeSDP(res.Body)
	}
	if th := res.Header["Transport"]; len(th) > 0 {
		s.transport = "UDP"
		if strings.Contains(strings.ToUpper(th[0]), "TCP") {
			s.transport = "TCP"
		}
	}
}

// halveSessionTimeout makes gortsplib send keepalives at 40 % of the
// camera's session timeout instead of 80 %, so that a refused GET_PARAMETER
// still leaves time for an OPTIONS before the camera drops the session.
func halveSessionTimeout(res *base.Response) {
	v := res.Header["Session"]
	if len(v) != 1 {
		return
	}
	i := strings.Index(strings.ToLower(v[0]), "timeout=")
	if i < 0 {
		return
	}
	rest := v[0][i+len("timeout="):]
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	n, err := strconv.Atoi(rest[:end])
	if err != nil || n < 2 {
		return
	}
	res.Header["Session"] = base.HeaderValue{v[0][:i] + "timeout=" + strconv.Itoa(n/2) + rest[end:]}
}

func (s *sessionHooks) onTransportSwitch(err error) {
	s.mu.Lock()
	var note string
	switch {
	case errors.Is(err, liberrors.ErrClientSwitchToTCP{}):
		note = fmt.Sprintf("no UDP packets arrived within %s (blocked by a firewall or NAT?); switched to TCP", s.p.opts.UDPFallback)
	case s.refused461:
		note = "camera refused UDP (461 Unsupported Transport); playing over TCP"
	default:
		note = "camera answered the UDP request with TCP; playing over TCP"
	}
	s.transport = "TCP"
	s.notes = append(s.notes, note)
	playing := s.playing
	s.info.Transport = "TCP"
	s.info.Warnings = append(s.info.Warnings, note)
	info := s.info
	s.mu.Unlock()
	s.p.log.Info("camera switched to TCP", "reason", note)
	if playing {
		s.p.h.OnStream(info)
	}
}

// onDecodeError restarts a UDP or RTSPS session whose camera changed its
// SSRC (TCP sessions are rewritten by continuityConn); in auto mode the
// next session uses TCP.
func (s *sessionHooks) onDecodeError(err error) {
	if !strings.Contains(err.Error(), "wrong SSRC") {
		s.p.log.Debug("camera decode error", "err", redactErr(err, s.p.src))
		return
	}
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.endErr = errSSRCChanged
		s.mu.Unlock()
		if s.auto {
			s.p.preferTCP.Store(true)
		}
		s.p.log.Info("camera changed its RTP SSRC", "err", err)
		go s.close() // never from inside the client's own goroutines
	})
}

// dial wraps plain RTSP connections so that SSRC changes are followed.
func (s *sessionHooks) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return newContinuityConn(c, &s.ssrcSwitch), nil
}

// started records the stream info handed to the handler.
func (s *sessionHooks) started(info StreamInfo) StreamInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	info.Transport = s.transport
	info.Warnings = append(append(info.Warnings, s.sdp.warnings...), s.notes...)
	if s.p.preferTCP.Load() && s.auto && s.transport == "TCP" {
		info.Warnings = append(info.Warnings, "camera changes its RTP SSRC mid-stream, which is followed only over TCP; switched to TCP")
	}
	info.Ignored = append(info.Ignored, s.sdp.ignored...)
	s.info, s.playing = info, true
	return info
}

// describeErr explains a failed DESCRIBE.
func (s *sessionHooks) describeErr(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loopedTo != "" {
		return fmt.Errorf("%w (after %d redirects, last to %s)", ErrTooManyRedirects, maxRedirects, Redact(s.loopedTo))
	}
	return err
}

func (s *sessionHooks) sessionErr(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.endErr != nil {
		return s.endErr
	}
	return err
}
