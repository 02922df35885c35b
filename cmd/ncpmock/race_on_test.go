//go:build race

package main

// raceEnabled makes the streaming tests write fewer users under -race,
// which runs them about ten times slower.
const raceEnabled = true
