package relay

import (
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"
)

// FuzzCameraVideo feeds arbitrary RTP packets, as a misbehaving camera
// would send them, through depacketizing, parameter-set handling and
// re-packetizing. Nothing may panic, and no packet sent to a viewer may
// exceed the viewers' MTU.
func FuzzCameraVideo(f *testing.F) {
	f.Add([]byte{0x80, 0xe0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1f})
	f.Add(append([]byte{0x80, 0xe0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0x18, 0, 4}, append(testSPS[:4], 0, 5, 0x65, 0x88, 0x84, 0, 0x33)...))
	f.Add([]byte{0x80, 0x60, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0x7c, 0x85, 1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := &rtph264.Decoder{PacketizationMode: 1}
		_ = dec.Init()
		enc := &rtph264.Encoder{PayloadType: 96, PacketizationMode: 1, PayloadMaxSize: 1200}
		_ = enc.Init()
		p := newParamSets(false, nil, nil, nil)
		// Split the input into packets with a one-byte length prefix.
		for len(data) > 0 {
			n := int(data[0]) * 8
			data = data[1:]
			if n > len(data) {
				n = len(data)
			}
			var pkt rtp.Packet
			if err := pkt.Unmarshal(data[:n]); err == nil {
				if au, err := dec.Decode(&pkt); err == nil {
					out, _ := p.prepare(au, h264.IsRandomAccess(au))
					if len(out) == 0 {
						continue
					}
					pkts, err := enc.Encode(out)
					if err != nil {
						continue
					}
					for _, op := range pkts {
						if len(op.Payload) > 1200 {
							t.Fatalf("payload of %d bytes exceeds the MTU", len(op.Payload))
						}
					}
				}
			}
			data = data[n:]
		}
	})
}

// FuzzOffer checks that any WHEP offer body is either parsed or refused
// with an OfferError, never a panic.
func FuzzOffer(f *testing.F) {
	f.Add("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 102\r\na=rtpmap:102 H264/90000\r\n")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, offer string) {
		codecs, err := offeredCodecs(offer)
		if err == nil && codecs == nil {
			t.Fatal("nil codecs without an error")
		}
	})
}
