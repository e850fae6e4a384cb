package faultcam

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// handle answers one request; false closes the connection.
func (cn *conn) handle(req *request) bool {
	cfg := &cn.cam.cfg
	if req.method != "OPTIONS" && !cn.cam.authorized(req) {
		return cn.respond(req, 401, []string{"WWW-Authenticate", cn.cam.challenge()}, nil) == nil
	}
	status, headers, body := 200, []string(nil), []byte(nil)
	switch req.method {
	case "OPTIONS":
		if cfg.OptionsStatus != 0 {
			status = cfg.OptionsStatus
		} else {
			headers = []string{"Public", cfg.Public}
		}
	case "DESCRIBE":
		if cfg.Redirect != nil {
			if loc := cfg.Redirect(pathOf(req.url)); loc != "" {
				return cn.respond(req, 302, []string{"Location", loc}, nil) == nil
			}
		}
		base := strings.TrimSuffix(req.url, "/") + "/"
		headers = []string{"Content-Type", "application/sdp", "Content-Base", base}
		body = []byte(cfg.SDP)
	case "SETUP":
		status, headers = cn.setup(req)
	case "PLAY":
		if cn.session == "" {
			status = 455
			break
		}
		headers = []string{"Session", cn.sessionHeader(), "Range", "npt=0.000-"}
		if err := cn.respond(req, status, headers, nil); err != nil {
			return false
		}
		cn.alive()
		if cn.player == nil {
			cn.player = startPlayer(cn)
		}
		return true
	case "GET_PARAMETER":
		if cfg.RefuseGetParameter {
			status = 501
		}
	case "SET_PARAMETER", "PAUSE":
	case "TEARDOWN":
		_ = cn.respond(req, 200, nil, nil)
		return false
	default:
		status = 501
	}
	if cn.session != "" && status != 401 {
		headers = append(headers, "Session", cn.sessionHeader())
	}
	if status >= 200 && status < 300 {
		cn.alive()
	}
	return cn.respond(req, status, headers, body) == nil
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}

func (cn *conn) sessionHeader() string {
	if t := cn.cam.cfg.SessionTimeout; t > 0 {
		secs := int((t + 999_999_999) / 1_000_000_000)
		return fmt.Sprintf("%s;timeout=%d", cn.session, secs)
	}
	return cn.session
}

// setup handles SETUP (RFC 2326 §10.4) for one track.
func (cn *conn) setup(req *request) (int, []string) {
	cfg := &cn.cam.cfg
	th := strings.ToUpper(req.header["transport"])
	t := &track{kind: trackOther, ssrc: rand.Uint32()}
	switch {
	case strings.HasSuffix(req.url, cfg.VideoControl):
		t.kind = trackVideo
	case strings.HasSuffix(req.url, cfg.AudioControl):
		t.kind = trackAudio
	}
	var reply string
	if strings.Contains(th, "TCP") {
		if cfg.TCPRefuse {
			return 461, nil
		}
		t.tcp = true
		t.channel = 2 * len(cn.tracks)
		if a, _, ok := strings.Cut(param(th, "INTERLEAVED"), "-"); ok {
			t.channel, _ = strconv.Atoi(a)
		}
		if cfg.Interleaved > 0 {
			t.channel = cfg.Interleaved + 2*len(cn.tracks)
		}
		reply = fmt.Sprintf("RTP/AVP/TCP;unicast;interleaved=%d-%d;ssrc=%08X", t.channel, t.channel+1, t.ssrc)
	} else {
		if cfg.UDP == UDPRefuse {
			return 461, nil
		}
		a, b, ok := strings.Cut(param(th, "CLIENT_PORT"), "-")
		rtpPort, err1 := strconv.Atoi(a)
		if !ok || err1 != nil {
			return 400, nil
		}
		host, _, _ := net.SplitHostPort(cn.nc.RemoteAddr().String())
		t.dest = &net.UDPAddr{IP: net.ParseIP(host), Port: rtpPort}
		t.blackhole = cfg.UDP == UDPBlackhole
		if err := t.listenUDP(); err != nil {
			return 500, nil
		}
		reply = fmt.Sprintf("RTP/AVP;unicast;client_port=%d-%s;server_port=%d-%d;ssrc=%08X",
			rtpPort, b, t.rtpPort(), t.rtcpPort(), t.ssrc)
	}
	cn.tracks = append(cn.tracks, t)
	if cn.session == "" {
		cn.session = fmt.Sprintf("%08X", rand.Uint32())
	}
	cn.alive()
	cn.setupDone.Store(true)
	return 200, []string{"Transport", reply}
}

// param returns the value of name=value in a Transport header.
func param(th, name string) string {
	for _, p := range strings.Split(th, ";") {
		if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && k == name {
			return v
		}
	}
	return ""
}
