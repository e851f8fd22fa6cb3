// Package apitest is how tests read the API's answers over HTTP: Send performs a request and
// decodes a GraphQL answer (data, errors, extensions) when the body is JSON. The API's own
// tests (httpapi) and the process tests of the command line (cli) share it.
package apitest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Error is an error of a GraphQL answer.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Answer is an answer of the API as a test reads it, with its GraphQL body decoded when it is
// JSON.
type Answer struct {
	Status int
	Header http.Header
	Body   string
	Data   json.RawMessage
	Errors []Error
	Ext    map[string]any
	// HasData tells whether the body has a `data` entry at all.
	HasData bool
}

// Code returns the extensions.code of the first error ("" when none).
func (a Answer) Code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// Send performs req with the default client and decodes the answer; a transport error, or a
// body that says it is JSON and is not, fails the test.
func Send(t testing.TB, req *http.Request) Answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := Answer{Status: resp.StatusCode, Header: resp.Header, Body: string(raw)}
	if len(raw) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		var body struct {
			Data       json.RawMessage `json:"data"`
			Errors     []Error         `json:"errors"`
			Extensions map[string]any  `json:"extensions"`
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("response is not JSON (%d): %.300s", resp.StatusCode, raw)
		}
		out.Data, out.Errors, out.Ext = body.Data, body.Errors, body.Extensions
		var keys map[string]json.RawMessage
		_ = json.Unmarshal(raw, &keys)
		_, out.HasData = keys["data"]
	}
	return out
}
