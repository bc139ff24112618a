package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/certibloc/certibloc"
)

// checkJSON walks a JSON body before it is decoded into its type: every
// string (keys included) must be valid UTF-8 without control characters
// other than tab and line breaks, and at most certibloc.MaxField
// characters; every number must lie in the 32-bit range the store keeps
// numbers in. Errors name the field, as offers[0].places. A body that is
// not JSON passes, for the typed decoding to describe.
func checkJSON(body []byte) error {
	if !utf8.Valid(body) {
		return certibloc.Errorf(certibloc.EINVALID, "the body is not valid UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	return checkValue("the body", v)
}

func checkValue(field string, v any) error {
	switch v := v.(type) {
	case string:
		return certibloc.CheckText(field, v, certibloc.MaxField, true)
	case json.Number:
		return checkNumber(field, v)
	case []any:
		for i, e := range v {
			if err := checkValue(fmt.Sprintf("%s[%d]", field, i), e); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			e := v[k]
			if err := certibloc.CheckText("the field name "+strconv.Quote(k), k, certibloc.MaxName, false); err != nil {
				return err
			}
			name := k
			if field != "the body" {
				name = field + "." + k
			}
			if err := checkValue(name, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkNumber refuses a number that overflows a float64 (1e309) or lies
// outside the 32-bit range.
func checkNumber(field string, n json.Number) error {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f < certibloc.MinNumber || f > certibloc.MaxNumber {
		return certibloc.NumberError(field, string(n))
	}
	return nil
}
