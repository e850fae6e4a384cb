package camsim

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
)

// udpPair is an RTP/RTCP socket pair on consecutive ports (RTP even), bound
// before the gortsplib server starts. gortsplib insists on fixed, consecutive
// ports and cannot take port 0, so the pair is chosen here and handed to it
// through Server.ListenPacket.
type udpPair struct {
	rtp, rtcp *net.UDPConn
}

// listenUDPPair binds RTP on host:port and RTCP on host:port+1. Port 0 tries
// kernel-chosen even ports until the next odd port is also free.
func listenUDPPair(host string, port int) (*udpPair, error) {
	if port != 0 {
		p, err := bindPair(host, port)
		if err != nil {
			return nil, fmt.Errorf("camsim: listen udp %d-%d: %w", port, port+1, err)
		}
		return p, nil
	}
	for range 100 {
		probe, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("camsim: listen udp: %w", err)
		}
		got := probe.LocalAddr().(*net.UDPAddr).Port
		if got%2 == 0 && got < 65535 {
			rtcp, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(got+1)))
			if err == nil {
				return &udpPair{rtp: probe.(*net.UDPConn), rtcp: rtcp.(*net.UDPConn)}, nil
			}
		}
		_ = probe.Close()
	}
	return nil, errors.New("camsim: no free consecutive udp port pair found")
}

func bindPair(host string, port int) (*udpPair, error) {
	rtp, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	rtcp, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(port+1)))
	if err != nil {
		_ = rtp.Close()
		return nil, err
	}
	return &udpPair{rtp: rtp.(*net.UDPConn), rtcp: rtcp.(*net.UDPConn)}, nil
}

// listenPacket is the gortsplib Server.ListenPacket hook: it returns the
// pre-bound sockets for their own addresses.
func (p *udpPair) listenPacket(network, address string) (net.PacketConn, error) {
	switch address {
	case p.rtp.LocalAddr().String():
		return p.rtp, nil
	case p.rtcp.LocalAddr().String():
		return p.rtcp, nil
	}
	return nil, &net.OpError{Op: "listen", Net: network, Err: syscall.EADDRNOTAVAIL}
}

func (p *udpPair) close() {
	_ = p.rtp.Close()
	_ = p.rtcp.Close()
}
