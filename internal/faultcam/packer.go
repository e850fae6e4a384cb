package faultcam

import (
	"math/rand/v2"

	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/pion/rtp"
)

// packer turns access units into RTP packets (RFC 6184, RFC 7798), with
// the camera's own sequence numbers, SSRC and timestamps.
type packer struct {
	single bool
	ssrc   uint32
	seq    uint16
	encode func([][]byte) ([]*rtp.Packet, error)
}

func newPacker(codec string, cfg *Config, ssrc uint32) *packer {
	pk := &packer{single: cfg.SingleNALU, ssrc: ssrc, seq: uint16(rand.Uint32())}
	if codec == H265 {
		e := &rtph265.Encoder{PayloadType: 96, PayloadMaxSize: cfg.MaxPayload}
		_ = e.Init()
		pk.encode = e.Encode
	} else {
		e := &rtph264.Encoder{PayloadType: 96, PacketizationMode: 1, PayloadMaxSize: cfg.MaxPayload}
		_ = e.Init()
		pk.encode = e.Encode
	}
	return pk
}

func (pk *packer) pack(nalus [][]byte, ts uint32, marker bool) []*rtp.Packet {
	var pkts []*rtp.Packet
	if pk.single {
		for _, n := range nalus {
			pkts = append(pkts, &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96}, Payload: n})
		}
	} else {
		var err error
		if pkts, err = pk.encode(nalus); err != nil {
			return nil
		}
	}
	for i, p := range pkts {
		p.SSRC = pk.ssrc
		p.SequenceNumber = pk.seq
		pk.seq++
		p.Timestamp = ts
		p.Marker = marker && i == len(pkts)-1
	}
	return pkts
}
