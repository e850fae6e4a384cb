package relay_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: every
// hub, puller, viewer writer and RTCP reader must be stopped and waited for.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
