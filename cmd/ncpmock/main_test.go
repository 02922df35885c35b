package main

import (
	"os"
	"testing"

	"github.com/ncpmock/ncpmock/internal/testtmp"
)

// envRunAsCLI makes the test binary run as ncpmock itself, for tests that
// run commands the CLI prints (which call ncpmock) in a shell.
const envRunAsCLI = "NCPMOCK_TEST_RUN_AS_CLI"

// TestMain keeps the temporary files of these tests (the reproduce bodies
// of the failing runs they provoke) out of /tmp.
func TestMain(m *testing.M) {
	if os.Getenv(envRunAsCLI) == "1" {
		main()
	}
	testtmp.Main(m)
}
