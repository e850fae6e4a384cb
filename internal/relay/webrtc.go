package relay

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/webrtc/v4"
)

// WebRTCOptions configure the shared WebRTC stack.
type WebRTCOptions struct {
	// Port is the one UDP port all viewers' ICE uses, and the ICE-TCP port
	// for networks that block UDP. 0 picks a free port (tests).
	Port int
	// ListenIP restricts the listeners to one address ("" = all).
	ListenIP string
	// PublicIPs are announced instead of the host's own addresses (NAT 1:1).
	PublicIPs []string
	// DisableTCP turns ICE-TCP off.
	DisableTCP bool
	// IncludeLoopback offers 127.0.0.1 candidates, for a browser on the
	// same machine and for tests.
	IncludeLoopback bool
	// ICEServers are handed to browsers (RFC 9725 §4.6 Link headers).
	ICEServers []webrtc.ICEServer
}

// webrtcStack is the one pion API every viewer's peer connection shares.
type webrtcStack struct {
	api  *webrtc.API
	udp  net.PacketConn
	tcp  net.Listener
	port int
}

func newWebRTCStack(o WebRTCOptions, log *slog.Logger) (*webrtcStack, error) {
	udp, tcp, err := listenICE(o)
	if err != nil {
		return nil, err
	}
	s := &webrtcStack{udp: udp, tcp: tcp, port: udp.LocalAddr().(*net.UDPAddr).Port}
	lf := pionLoggerFactory{log: log.With("component", "webrtc")}

	var se webrtc.SettingEngine
	se.LoggerFactory = lf
	se.SetICEUDPMux(webrtc.NewICEUDPMux(lf.NewLogger("ice-udp"), udp))
	types := []webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6}
	if tcp != nil {
		se.SetICETCPMux(webrtc.NewICETCPMux(lf.NewLogger("ice-tcp"), tcp, 64))
		types = append(types, webrtc.NetworkTypeTCP4, webrtc.NetworkTypeTCP6)
	}
	se.SetNetworkTypes(types)
	if len(o.PublicIPs) > 0 {
		se.SetNAT1To1IPs(o.PublicIPs, webrtc.ICECandidateTypeHost)
	}
	se.SetIncludeLoopbackCandidate(o.IncludeLoopback)
	// mDNS would bind 0.0.0.0:5353; browsers' .local names are learnt as
	// peer-reflexive candidates instead.
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	// A viewer that vanishes is declared failed, and freed, within ~8 s.
	se.SetICETimeouts(4*time.Second, 8*time.Second, 2*time.Second)

	me := &webrtc.MediaEngine{}
	if err := me.RegisterDefaultCodecs(); err != nil {
		s.close()
		return nil, fmt.Errorf("register codecs: %w", err)
	}
	ir := &interceptor.Registry{}
	// A send-only relay needs only the NACK responder and RTCP reports.
	// The responder keeps references to the shared, read-only payloads
	// instead of copying every packet (≈2.5 MB per viewer otherwise).
	responder, err := nack.NewResponderInterceptor(nack.DisableCopy(), nack.ResponderSize(256),
		// Lost audio is not worth resending late; only video is kept.
		nack.ResponderStreamsFilter(func(info *interceptor.StreamInfo) bool {
			return strings.HasPrefix(strings.ToLower(info.MimeType), "video/")
		}))
	if err != nil {
		s.close()
		return nil, fmt.Errorf("nack responder: %w", err)
	}
	me.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack"}, webrtc.RTPCodecTypeVideo)
	me.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack", Parameter: "pli"}, webrtc.RTPCodecTypeVideo)
	ir.Add(responder)
	if err := webrtc.ConfigureRTCPReports(ir); err != nil {
		s.close()
		return nil, fmt.Errorf("rtcp reports: %w", err)
	}
	s.api = webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir))
	return s, nil
}

// listenICE opens the UDP port and, unless disabled, TCP on the same
// number. With port 0 the pair is retried until both are free.
func listenICE(o WebRTCOptions) (net.PacketConn, net.Listener, error) {
	ip := net.ParseIP(o.ListenIP)
	for attempt := 0; attempt < 20; attempt++ {
		udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip, Port: o.Port})
		if err != nil {
			return nil, nil, fmt.Errorf("listen ICE UDP port %d: %w", o.Port, err)
		}
		if o.DisableTCP {
			return udp, nil, nil
		}
		port := udp.LocalAddr().(*net.UDPAddr).Port
		tcp, err := net.ListenTCP("tcp", &net.TCPAddr{IP: ip, Port: port})
		if err == nil {
			return udp, tcp, nil
		}
		_ = udp.Close()
		if o.Port != 0 {
			return nil, nil, fmt.Errorf("listen ICE TCP port %d: %w", port, err)
		}
	}
	return nil, nil, errors.New("no free port for ICE UDP and TCP")
}

func (s *webrtcStack) close() {
	if s.udp != nil {
		_ = s.udp.Close()
	}
	if s.tcp != nil {
		_ = s.tcp.Close()
	}
}
