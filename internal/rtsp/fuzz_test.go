package rtsp

import (
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/sdp"
)

// FuzzCameraSDP feeds arbitrary SDP, as a camera might DESCRIBE itself,
// through parsing and media selection: errors are fine, panics are not.
func FuzzCameraSDP(f *testing.F) {
	f.Add("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
		"a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAH9kAUAW7ARAAAAMAEAAAAwMg8YMkgA==,aMuDyyA=\r\na=control:trackID=0\r\n" +
		"m=audio 0 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=control:trackID=1\r\n" +
		"m=application 0 RTP/AVP 107\r\na=control:trackID=2\r\n")
	f.Add("v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\na=fmtp:96 sprop-sps=AAAB\r\n")
	f.Add("v=0\r\nm=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/16000/1\r\na=sendonly\r\nm=vid")
	f.Fuzz(func(t *testing.T, raw string) {
		var sd sdp.SessionDescription
		if err := sd.Unmarshal([]byte(raw)); err != nil {
			return
		}
		var desc description.Session
		if err := desc.Unmarshal(&sd); err != nil {
			return
		}
		sel, err := selectMedia(&desc)
		if err == nil && (sel.videoMedia == nil || sel.info.Video == nil) {
			t.Fatal("selection without video")
		}
	})
}
