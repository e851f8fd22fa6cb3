// Package globalid encodes and decodes the API's opaque global ids: a type name and a stable
// natural key (ISO code, slug or citation key), base64url-encoded.
package globalid

import (
	"encoding/base64"
	"errors"
	"strings"
)

// Type names used in global ids; they match the GraphQL type names.
const (
	Country         = "Country"
	Company         = "Company"
	Product         = "Product"
	Case            = "Case"
	Source          = "Source"
	CountryAction   = "CountryAction"
	CompanyResponse = "CompanyResponse"
	// Revision names a recorded change (not a Node: node(id:) does not find it).
	Revision = "Revision"
)

var known = map[string]bool{Country: true, Company: true, Product: true, Case: true, Source: true, CountryAction: true, CompanyResponse: true, Revision: true}

// ErrMalformed is returned for a string that is not a global id.
var ErrMalformed = errors.New("malformed global id")

// Encode returns the global id of the object of type typ with natural key key.
func Encode(typ, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + key))
}

// Decode splits a global id into its type and natural key.
func Decode(id string) (typ, key string, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(id, "="))
	if err != nil {
		return "", "", ErrMalformed
	}
	typ, key, ok := strings.Cut(string(raw), ":")
	if !ok || !known[typ] || key == "" {
		return "", "", ErrMalformed
	}
	return typ, key, nil
}
