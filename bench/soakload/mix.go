package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"

	"github.com/ncpmock/ncpmock/openapi"
)

const bulkPath = "/api/v1/users/bulk"

// request is one request of the mix, made once and sent many times.
type request struct {
	kind   string // what the tally counts it as
	method string
	path   string
	header http.Header
	body   []byte
}

// mix holds the requests, by family, and the share of each family.
type mix struct {
	families []family
}

type family struct {
	percent  int
	requests []request
}

// pick draws a family by its share, then a request of it.
func (m *mix) pick(r *rand.Rand) request {
	n := r.IntN(100)
	for _, f := range m.families {
		if n < f.percent {
			return f.requests[r.IntN(len(f.requests))]
		}
		n -= f.percent
	}
	f := m.families[len(m.families)-1]
	return f.requests[r.IntN(len(f.requests))]
}

// Header faults: every kind, with durations short enough for the client's
// timeout. A hang ends at its max.
var headerFaults = []string{
	"status=503", "status=429; code=410", "status=500", "status=401; code=210",
	"latency=20ms", "latency; median=10ms; sigma=0.8", "reset", "empty", "garbage=64",
	"truncated", "slow-body=200ms; chunks=4", "hang=300ms", "partial=0.5",
	`partial; loginId="^soak-1"; message="Invalid login ID."`,
	"contract-break=too-few", "contract-break=wrong-type", "contract-break=extra-result",
	"reset; probability=0.5",
}

// Trigger login IDs (before the @fail.ncpmock.test).
var triggers = []string{
	"duplicate", "invalid", "status-503", "status-429", "latency-30ms", "reset", "empty",
	"garbage", "truncated", "hang-200ms", "slow-body-100ms", "contract-break-too-few",
}

func newMix(seed uint64) (*mix, error) {
	spec, err := openapi.Embedded()
	if err != nil {
		return nil, err
	}
	g, err := openapi.NewGenerator(spec, openapi.GenConfig{Seed: seed, LoginIDPrefix: "soak-"})
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(seed, 0x50a4))
	valid, err := validBodies(g, r, 200)
	if err != nil {
		return nil, err
	}
	invalid, err := invalidBodies(g)
	if err != nil {
		return nil, err
	}
	return &mix{families: []family{
		{35, valid},
		{20, invalid},
		{25, faulted(valid)},
		{10, triggered()},
		{10, others()},
	}}, nil
}

func post(kind string, body []byte, header ...string) request {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	return request{kind: kind, method: http.MethodPost, path: bulkPath, header: h, body: body}
}

// validBodies makes n valid bodies of 1 to 5 users; sent again, their users
// are duplicates, so the store stays bounded.
func validBodies(g *openapi.Generator, r *rand.Rand, n int) ([]request, error) {
	out := make([]request, n)
	for i := range out {
		cs, err := g.Valid(1 + r.IntN(5))
		if err != nil {
			return nil, err
		}
		out[i] = post("valid", cs.Body)
	}
	return out, nil
}

// invalidBodies breaks each rule of the spec the generator knows, and adds
// bodies that are not even JSON of the right shape.
func invalidBodies(g *openapi.Generator) ([]request, error) {
	var out []request
	for _, rule := range g.Rules() {
		if !rule.Isolatable {
			continue
		}
		cs, err := g.Invalid(rule.Name, 1)
		if err != nil {
			return nil, err
		}
		out = append(out, post("invalid (generated, one rule)", cs.Body))
	}
	one := []byte(`{"params":[{"loginId":"soak-x@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`)
	out = append(out,
		post("invalid (not JSON)", []byte(`{"params":[{"loginId":`)),
		post("invalid (not JSON)", []byte{0xff, 0xfe, 0}),
		post("invalid (empty body)", nil),
		post("invalid (nesting)", []byte(`{"params":[`+repeat("[", 5000)+repeat("]", 5000)+`]}`)),
		post("invalid (fault header)", one, "X-Ncpmock-Fault", "status=abc"),
		post("invalid (fault header)", one, "X-Ncpmock-Fault", "explode"),
		post("invalid (trigger typo)", []byte(`{"params":[{"loginId":"nosuch@fail.ncpmock.test"}]}`)),
	)
	plain := post("invalid (content type)", one)
	plain.header.Set("Content-Type", "text/plain")
	return append(out, plain), nil
}

func repeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}

// faulted sends valid bodies with each header fault.
func faulted(valid []request) []request {
	out := make([]request, 0, len(headerFaults)*4)
	for i, f := range headerFaults {
		for j := range 4 {
			out = append(out, post("fault "+f, valid[(i*4+j)%len(valid)].body, "X-Ncpmock-Fault", f))
		}
	}
	// The soak's faults file hangs the mobile app's requests.
	return append(out, post("rule mobile-hang (User-Agent)", valid[0].body, "User-Agent", "MyApp-iOS/3.1"))
}

// triggered sends one ordinary user and one trigger login ID; a +tag from a
// small set keeps the users created bounded.
func triggered() []request {
	var out []request
	for _, name := range triggers {
		for tag := range 20 {
			body, _ := json.Marshal(openapi.BulkRequest{Params: []openapi.UserCreate{
				{LoginID: fmt.Sprintf("soak-trigger-%d@example.com", tag)},
				{LoginID: fmt.Sprintf("%s+%d@fail.ncpmock.test", name, tag)},
			}})
			out = append(out, post("trigger "+name, body))
		}
	}
	return out
}

// others are the directory, the mock's own endpoints and wrong methods and
// paths.
func others() []request {
	get := func(kind, path string) request { return request{kind: kind, method: http.MethodGet, path: path} }
	preflight := request{kind: "CORS preflight", method: http.MethodOptions, path: bulkPath, header: http.Header{
		"Origin": {"http://localhost:3000"}, "Access-Control-Request-Method": {"POST"},
		"Access-Control-Request-Headers": {"content-type, x-ncpmock-fault"},
	}}
	return []request{
		get("GET /healthz", "/healthz"),
		get("GET /openapi.*", "/openapi.json"),
		get("GET /openapi.*", "/openapi.yaml"),
		get("GET /__admin/requests", "/__admin/requests?limit=5&status=5xx"),
		get("GET /__admin/faults", "/__admin/faults"),
		get("GET /__admin/stats", "/__admin/stats"),
		get("wrong method or path", bulkPath),
		get("wrong method or path", "/api/v1/people"),
		get("GET directory", "/api/v1/users?searchColumn=loginId&searchWord=soak-&size=5"),
		get("GET directory", "/api/v1/users/check-login-id?loginId=soak-1@example.com"),
		{kind: "DELETE directory", method: http.MethodDelete, path: "/api/v1/users/00000000-0000-4000-8000-000000000000"},
		preflight,
	}
}
