package whepclient

import (
	"net"

	"github.com/pion/transport/v5"
	"github.com/pion/transport/v5/stdnet"
)

// DefaultReadBuffer is the receive buffer a viewer asks for on its ICE
// socket. Linux's default (208 KB) holds about 170 packets: a relay that
// replays a cached GOP, or a loaded machine that deschedules the viewer for
// a few milliseconds, overflows it and the kernel drops packets that the
// relay did send (counted in /proc/net/snmp as RcvbufErrors). Browsers ask
// for more, too. The kernel caps it at net.core.rmem_max.
const DefaultReadBuffer = 1 << 20

// bufferedNet is the standard network with larger UDP receive buffers.
type bufferedNet struct {
	transport.Net
	size int
}

// NewBufferedNet returns the standard network whose UDP sockets ask for
// size bytes of receive buffer, for SettingEngine.SetNet: other pion
// viewers (tests) that must not lose what the relay sends use it too.
func NewBufferedNet(size int) (transport.Net, error) {
	n, err := stdnet.NewNet()
	if err != nil {
		return nil, err
	}
	return bufferedNet{Net: n, size: size}, nil
}

func (n bufferedNet) ListenUDP(network string, laddr *net.UDPAddr) (transport.UDPConn, error) {
	c, err := n.Net.ListenUDP(network, laddr)
	if err == nil {
		n.grow(c)
	}
	return c, err
}

func (n bufferedNet) ListenPacket(network, address string) (net.PacketConn, error) {
	c, err := n.Net.ListenPacket(network, address)
	if err == nil {
		n.grow(c)
	}
	return c, err
}

func (n bufferedNet) grow(c any) {
	if s, ok := c.(interface{ SetReadBuffer(int) error }); ok {
		// Best effort: a smaller buffer only means the old behaviour.
		_ = s.SetReadBuffer(n.size)
	}
}
