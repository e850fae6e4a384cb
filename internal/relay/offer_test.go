package relay

import (
	"errors"
	"testing"
)

// TestOfferedCodecs: offers a viewer can play from are parsed; those that
// cannot receive video are refused with an OfferError that says why.
func TestOfferedCodecs(t *testing.T) {
	const head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
	const video = "m=video 9 UDP/TLS/RTP/SAVPF 102\r\na=rtpmap:102 H264/90000\r\n"
	tests := []struct {
		name, offer string
		ok          bool
	}{
		{"recvonly video", head + video + "a=recvonly\r\n", true},
		{"no direction (sendrecv)", head + video, true},
		{"sendrecv video", head + video + "a=sendrecv\r\n", true},
		{"sendonly video", head + video + "a=sendonly\r\n", false},
		{"inactive video", head + video + "a=inactive\r\n", false},
		{"rejected video (port 0)", head + "m=video 0 UDP/TLS/RTP/SAVPF 102\r\na=rtpmap:102 H264/90000\r\n", false},
		{"a sendonly and a recvonly video", head + video + "a=sendonly\r\n" + video + "a=recvonly\r\n", true},
		{"audio only", head + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n", false},
		{"not SDP", "hello", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codecs, err := offeredCodecs(tt.offer)
			var oe *OfferError
			switch {
			case tt.ok && (err != nil || !codecs["video/h264"]):
				t.Errorf("codecs %v, err %v; want H.264 offered", codecs, err)
			case !tt.ok && !errors.As(err, &oe):
				t.Errorf("err %v, want an OfferError", err)
			}
		})
	}
}
