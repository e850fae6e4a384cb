package faultcam

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

// AudioClip is audio as RTP payloads ready to send, one per packet.
type AudioClip struct {
	Payloads [][]byte
	// ClockRate is the RTP clock rate; Samples the clock ticks per payload.
	ClockRate int
	Samples   int
}

// Every returns the time one payload lasts.
func (a *AudioClip) Every() time.Duration {
	return time.Duration(float64(a.Samples) / float64(a.ClockRate) * float64(time.Second))
}

// LoadG711 reads raw G.711 (μ-law or A-law, one byte per sample) and cuts it
// into 20 ms payloads (RFC 3551 §4.5.14).
func LoadG711(path string, sampleRate int) (*AudioClip, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("faultcam: %w", err)
	}
	per := sampleRate / 50
	a := &AudioClip{ClockRate: sampleRate, Samples: per}
	for len(data) >= per {
		a.Payloads = append(a.Payloads, data[:per])
		data = data[per:]
	}
	if len(a.Payloads) == 0 {
		return nil, errors.New("faultcam: audio file shorter than 20 ms")
	}
	return a, nil
}

// LoadAAC reads an ADTS file and wraps each AAC frame in the RFC 3640
// AAC-hbr payload format (one AU-header of 13+3 bits per packet).
func LoadAAC(path string) (*AudioClip, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("faultcam: %w", err)
	}
	var pkts mpeg4audio.ADTSPackets
	if err := pkts.Unmarshal(data); err != nil {
		return nil, fmt.Errorf("faultcam: parse ADTS: %w", err)
	}
	if len(pkts) == 0 {
		return nil, errors.New("faultcam: ADTS file has no frames")
	}
	a := &AudioClip{ClockRate: pkts[0].SampleRate, Samples: mpeg4audio.SamplesPerAccessUnit}
	for _, p := range pkts {
		au := p.AU
		pl := make([]byte, 4+len(au))
		pl[0], pl[1] = 0, 16 // AU-headers-length in bits
		pl[2], pl[3] = byte(len(au)>>5), byte(len(au)<<3)
		copy(pl[4:], au)
		a.Payloads = append(a.Payloads, pl)
	}
	return a, nil
}
