package openapi

import (
	"math/rand/v2"

	"github.com/brianvoe/gofakeit/v7"
)

// NewFaker returns a goroutine-safe faker seeded with seed. Every seed,
// including 0, gives the same sequence each time (gofakeit.New would treat 0
// as "pick a random seed").
func NewFaker(seed uint64) *gofakeit.Faker {
	return gofakeit.NewFaker(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15), true)
}
