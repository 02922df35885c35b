package mock

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/ncpmock/ncpmock/openapi"
)

func TestStatusFaultBodies(t *testing.T) {
	tests := []struct {
		header     string
		status     int
		code       string
		message    string
		details    string
		retryAfter string
	}{
		{"status=401", 401, "200", "Authentication Failed", "Invalid authentication information.", ""},
		{"status=401; code=210", 401, "210", "Permission Denied", "", ""},
		{"status=400; code=100", 400, "100", "Bad Request Exception", "", ""},
		{"status=404", 404, "300", "Not Found Exception", "URL not found.", ""},
		{"status=413", 413, "430", "Request Entity Too Large", "", ""},
		{"status=429", 429, "420", "Rate Limited", "", "1"},
		{"status=429; code=400; retryAfter=60", 429, "400", "Quota Exceeded", "", "60"},
		{"status=429; code=410; retryAfter=-1", 429, "410", "Throttle Limited", "", ""},
		{"status=429; retryAfter=0", 429, "420", "Rate Limited", "", "0"},
		{"status=500", 500, "900", "Unexpected Error", "", ""},
		{"status=503", 503, "500", "Endpoint Error", "", ""},
		{"status=503; retryAfter=3", 503, "500", "Endpoint Error", "", "3"},
		{"status=504", 504, "510", "Endpoint Timeout", "", ""},
		{"status=502", 502, "502", "Bad Gateway", "", ""},
		{`status=503; message="Down"; details="for maintenance"`, 503, "500", "Down", "for maintenance", ""},
	}
	s := newTestServer(t, Config{})
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderFault, tc.header)
			got := gatewayErr(t, rec.Body.Bytes())
			if rec.Code != tc.status || got.ErrorCode != tc.code || got.Message != tc.message || got.Details != tc.details {
				t.Fatalf("got %d %+v, want %d {%s %s %s}", rec.Code, got, tc.status, tc.code, tc.message, tc.details)
			}
			if ra := rec.Header().Get("Retry-After"); ra != tc.retryAfter {
				t.Fatalf("got Retry-After %q, want %q", ra, tc.retryAfter)
			}
		})
	}
	if users, _ := s.store.List(t.Context()); len(users) != 0 {
		t.Fatalf("got %d users, want none: a status fault stops the request", len(users))
	}
}

func TestStatusFaultServiceAndCustomBodies(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderFault, "status=400")
	if got, want := strings.TrimSpace(rec.Body.String()), `{"errorCode":400,"message":"Invalid request"}`; rec.Code != 400 || got != want {
		t.Fatalf("got %d %s, want 400 %s", rec.Code, got, want)
	}
	rec = do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderFault, `status=502; body="<html>bad gateway</html>"; contentType=text/html`)
	if rec.Code != 502 || rec.Body.String() != "<html>bad gateway</html>" || rec.Header().Get("Content-Type") != "text/html" {
		t.Fatalf("got %d %q %q, want 502 with the exact HTML body", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
}

func TestPartialFault(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody("ok@example.com", "bad1@example.com", "bad2@example.com"),
		HeaderFault, `partial; loginId="^bad"; message="Invalid login ID."`)
	got := decodeResults(t, rec.Body.Bytes())
	if rec.Code != 200 || len(got) != 3 || !got[0].Success || got[1].Success || got[2].Success ||
		got[1].Message != MsgInvalidLoginID || got[1].ID != "" || got[2].Name != "bad2@example.com" {
		t.Fatalf("got %d %+v, want ok created and both bad ones failed with %q", rec.Code, got, MsgInvalidLoginID)
	}
	users, _ := s.store.List(t.Context())
	if len(users) != 1 || users[0].LoginID != "ok@example.com" {
		t.Fatalf("got users %+v, want only ok@example.com stored", users)
	}
	// A failed user was not created: the same login ID succeeds later.
	if got := decodeResults(t, do(t, s, http.MethodPost, bulkPath, bulkBody("bad1@example.com")).Body.Bytes()); !got[0].Success {
		t.Fatalf("got %+v, want bad1 created on a plain request", got)
	}
}

func TestPartialFractionWithinBinomialBounds(t *testing.T) {
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = "user" + strconv.Itoa(i) + "@example.com"
	}
	const batches, p = 4, 0.25
	s := newTestServer(t, Config{Seed: 5})
	failed := 0
	for b := range batches {
		for i := range ids {
			ids[i] = "b" + strconv.Itoa(b) + ids[i]
		}
		for _, r := range decodeResults(t, do(t, s, http.MethodPost, bulkPath, bulkBody(ids...), HeaderFault, "partial=0.25").Body.Bytes()) {
			if !r.Success {
				failed++
			}
		}
	}
	n := float64(batches * len(ids))
	if mean, sd := n*p, math.Sqrt(n*p*(1-p)); math.Abs(float64(failed)-mean) > 4.5*sd {
		t.Fatalf("got %d of %.0f users failed, want %.0f ± %.0f", failed, n, mean, 4.5*sd)
	}
}

func TestTriggerLoginIDs(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody("ok@example.com", "duplicate@fail.ncpmock.test", "Invalid+2@FAIL.ncpmock.test"))
	got := decodeResults(t, rec.Body.Bytes())
	if rec.Code != 200 || !got[0].Success || got[1].Message != MsgDuplicateLoginID || got[2].Message != MsgInvalidLoginID || got[1].Success || got[2].Success {
		t.Fatalf("got %d %+v, want ok created, then a duplicate and an invalid failure", rec.Code, got)
	}
	tests := []struct {
		loginID string
		status  int
		code    string
	}{
		{"status-503@fail.ncpmock.test", 503, "500"},
		{"status-429+retry@fail.ncpmock.test", 429, "420"},
		{"status-401@fail.ncpmock.test", 401, "200"},
	}
	for _, tc := range tests {
		rec := do(t, s, http.MethodPost, bulkPath, bulkBody("someone@example.com", tc.loginID))
		if g := gatewayErr(t, rec.Body.Bytes()); rec.Code != tc.status || g.ErrorCode != tc.code {
			t.Errorf("%s: got %d %+v, want %d code %s", tc.loginID, rec.Code, g, tc.status, tc.code)
		}
	}
	if users, _ := s.store.List(t.Context()); len(users) != 1 {
		t.Fatalf("got %d users, want 1: failed users and failed requests create nobody", len(users))
	}
	e := s.Requests(JournalFilter{Limit: 1})[0]
	if len(e.Faults) != 1 || e.Faults[0].Source != SourceTrigger || e.Faults[0].LoginID != "status-401@fail.ncpmock.test" {
		t.Fatalf("got journal faults %+v, want the trigger recorded", e.Faults)
	}
}

func TestRequestTriggersThatAnswer200(t *testing.T) {
	s := newTestServer(t, Config{})
	var slept []time.Duration
	s.sleep = func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}
	ids := []string{"a@example.com", "latency-1.5s@fail.ncpmock.test", "contract-break-too-few@fail.ncpmock.test"}
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody(ids...))
	if got := decodeResults(t, rec.Body.Bytes()); rec.Code != 200 || len(got) != 2 || len(slept) != 1 || slept[0] != 1500*time.Millisecond {
		t.Fatalf("got %d %+v after sleeping %v, want 200 with one result too few after 1.5s", rec.Code, got, slept)
	}
	if users, _ := s.store.List(t.Context()); len(users) != 3 {
		t.Fatalf("got %d users, want all 3: the request was handled", len(users))
	}
}

func TestUnknownTriggerIsA400(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody("ok@example.com", "statis-503@fail.ncpmock.test"))
	var er openapi.ErrorResponse
	decode(t, rec.Body.Bytes(), &er)
	if rec.Code != 400 || len(er.FieldErrors) != 1 || er.FieldErrors[0].Field != "params[1].loginId" || er.FieldErrors[0].Rule != "trigger" ||
		!strings.Contains(er.FieldErrors[0].Message, `unknown trigger "statis-503"`) {
		t.Fatalf("got %d %+v, want a 400 naming params[1].loginId and the unknown trigger", rec.Code, er)
	}
}

// resultSchema returns the spec's schema of the 200 answer.
func resultSchema(t *testing.T, s *Server) *openapi3.Schema {
	t.Helper()
	resp := s.Spec().Operation().Responses.Status(200)
	if resp == nil || resp.Value.Content.Get("application/json") == nil {
		t.Fatal("the spec has no application/json 200 answer")
	}
	return resp.Value.Content.Get("application/json").Schema.Value
}

func TestContractBreakViolatesTheSpec(t *testing.T) {
	tests := []struct {
		header      string
		schemaBreak bool // the schema itself rejects the answer; otherwise the count is off
		wantCount   int
	}{
		{"contract-break=wrong-type", true, 2},
		{"contract-break=wrong-type; field=name", true, 2},
		{"contract-break=missing-field", true, 2},
		{"contract-break=missing-field; field=name", true, 2},
		{"contract-break=too-few", false, 1},
		{"contract-break=extra-result", false, 3},
	}
	for i, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			s := newTestServer(t, Config{})
			schema := resultSchema(t, s)
			plain := do(t, s, http.MethodPost, bulkPath, bulkBody("p"+strconv.Itoa(i)+"@example.com", "q@example.com"))
			if err := schema.VisitJSON(jsonValue(t, plain.Body.Bytes())); err != nil {
				t.Fatalf("the plain answer breaks the spec: %v", err)
			}
			rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com", "b@example.com"), HeaderFault, tc.header)
			v := jsonValue(t, rec.Body.Bytes())
			err := schema.VisitJSON(v)
			if rec.Code != 200 || (err != nil) != tc.schemaBreak || len(v.([]any)) != tc.wantCount {
				t.Fatalf("got %d %s (schema error: %v), want 200, schema broken %t, %d results",
					rec.Code, rec.Body, err, tc.schemaBreak, tc.wantCount)
			}
		})
	}
}

func jsonValue(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return v
}
