package contracttest_test

import (
	"testing"

	"github.com/ncpmock/ncpmock/internal/testtmp"
)

// TestMain keeps the temporary files of these tests (the reproduce bodies
// of the failing runs they provoke) out of /tmp.
func TestMain(m *testing.M) { testtmp.Main(m) }
