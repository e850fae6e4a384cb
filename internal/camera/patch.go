package camera

// Patch is a partial camera for PATCH /api/v1/cameras/{id}, for create
// bodies and for YAML import rows. A nil field is left unchanged (JSON null
// counts as absent); a non-nil empty Password clears the password.
type Patch struct {
	Name           *string `json:"name" yaml:"name"`
	UnitCode       *string `json:"unit_code" yaml:"unit_code"`
	RTSPURL        *string `json:"rtsp_url" yaml:"rtsp_url"`
	SubstreamURL   *string `json:"substream_url" yaml:"substream_url"`
	Username       *string `json:"username" yaml:"username"`
	Password       *string `json:"password" yaml:"password"`
	Transport      *string `json:"transport" yaml:"transport"`
	OnDemand       *bool   `json:"on_demand" yaml:"on_demand"`
	TLSFingerprint *string `json:"tls_fingerprint" yaml:"tls_fingerprint"`
	Enabled        *bool   `json:"enabled" yaml:"enabled"`
}

// Apply returns c changed by p. Credentials in a new rtsp_url replace the
// stored ones unless p also sets username or password, which win; a new URL
// without credentials keeps the stored ones.
func (p Patch) Apply(c Camera) Camera {
	if p.RTSPURL != nil {
		stripped, cred, ok := splitCredentials(*p.RTSPURL)
		if ok {
			if cred.hasUser {
				c.Username = cred.user
			}
			if cred.hasPass {
				c.Password = cred.pass
			}
		}
		c.RTSPURL = stripped
	}
	set(&c.Name, p.Name)
	set(&c.UnitCode, p.UnitCode)
	set(&c.SubstreamURL, p.SubstreamURL)
	set(&c.Username, p.Username)
	set(&c.Password, p.Password)
	set(&c.Transport, p.Transport)
	set(&c.OnDemand, p.OnDemand)
	set(&c.TLSFingerprint, p.TLSFingerprint)
	set(&c.Enabled, p.Enabled)
	return c
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
