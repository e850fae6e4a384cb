package camera

import "time"

// cameraJSON is the only JSON shape of a camera the API sends. It has no
// password field by construction; HasPassword tells the UI whether one is set.
type cameraJSON struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	UnitCode       string    `json:"unit_code"`
	RTSPURL        string    `json:"rtsp_url"`
	SubstreamURL   string    `json:"substream_url"`
	Username       string    `json:"username"`
	HasPassword    bool      `json:"has_password"`
	Transport      string    `json:"transport"`
	OnDemand       bool      `json:"on_demand"`
	TLSFingerprint string    `json:"tls_fingerprint"`
	Enabled        bool      `json:"enabled"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Status         any       `json:"status,omitempty"`
}

// toJSON builds the answer shape. URLs go through RedactURL although stored
// URLs carry no userinfo: some cameras take "password=" in the path.
func toJSON(c Camera, status any) cameraJSON {
	return cameraJSON{
		ID:             c.ID,
		Name:           c.Name,
		UnitCode:       c.UnitCode,
		RTSPURL:        RedactURL(c.RTSPURL),
		SubstreamURL:   RedactURL(c.SubstreamURL),
		Username:       c.Username,
		HasPassword:    c.Password != "",
		Transport:      c.Transport,
		OnDemand:       c.OnDemand,
		TLSFingerprint: c.TLSFingerprint,
		Enabled:        c.Enabled,
		CreatedAt:      c.CreatedAt,
		UpdatedAt:      c.UpdatedAt,
		Status:         status,
	}
}
