package mock

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// The spec served at /openapi.yaml and /openapi.json names this mock as its
// first server, before the real service's, so that a tool that reads it
// (Swagger UI, Scalar, Postman) sends its "try it" requests here, not to
// NAVER Cloud.

// selfServerDescription describes the server entry the mock adds.
const selfServerDescription = "this ncpmock (the mock that serves this spec)"

// hostHeader is the Host values the mock repeats in the spec it serves: a
// name or an address, with a port.
var hostHeader = regexp.MustCompile(`^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$`)

// selfServerURL returns the URL of the mock's API as the request reached it,
// or "" when its Host is not one to repeat.
func (s *Server) selfServerURL(r *http.Request) string {
	if !hostHeader.MatchString(r.Host) {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + strings.TrimSuffix(s.spec.ServerPaths()[0], s.spec.Path())
}

func (s *Server) specYAML(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", withSelfServerYAML(s.spec.YAML(), s.selfServerURL(c.Request())))
}

func (s *Server) specJSON(c echo.Context) error {
	doc := *s.spec.Doc() // a shallow copy, whose servers alone change
	if u := s.selfServerURL(c.Request()); u != "" {
		doc.Servers = append(openapi3.Servers{{URL: u, Description: selfServerDescription}}, doc.Servers...)
	}
	data, err := doc.MarshalJSON()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, data)
}

// withSelfServerYAML returns the spec's text with url first in its
// top-level servers list, written as the list's items are; the text as it
// is when url is "" or the list is not a block of "- url:" items.
func withSelfServerYAML(raw []byte, url string) []byte {
	const key = "\nservers:\n"
	at := bytes.Index(raw, []byte(key))
	if url == "" || at < 0 {
		return raw
	}
	rest := raw[at+len(key):]
	indent := rest[:len(rest)-len(bytes.TrimLeft(rest, " "))]
	if !bytes.HasPrefix(rest[len(indent):], []byte("- url: ")) {
		return raw
	}
	item := string(indent) + "- url: " + url + "\n" + string(indent) + "  description: " + selfServerDescription + "\n"
	out := make([]byte, 0, len(raw)+len(item))
	out = append(out, raw[:at+len(key)]...)
	out = append(out, item...)
	return append(out, rest...)
}
