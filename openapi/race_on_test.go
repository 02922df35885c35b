//go:build race

package openapi_test

// raceEnabled lets the heaviest property tests use fewer seeds under -race,
// which runs them about ten times slower; the fuzz target explores more.
const raceEnabled = true
