package backup

import (
	"reflect"
	"testing"
	"time"
)

// TestConvert: what SQLite's driver hands back becomes what the
// PostgreSQL column takes — booleans kept as integers, times and dates
// kept as text in the driver's formats, text read as bytes — and a value
// that fits nowhere is an error naming the type.
func TestConvert(t *testing.T) {
	at := time.Date(2026, 12, 3, 9, 39, 19, 19499600, time.UTC)
	day := time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in       any
		dataType string
		want     any
	}{
		{int64(1), "boolean", true},
		{int64(0), "boolean", false},
		{true, "boolean", true},
		{"true", "boolean", true},
		{at, "timestamp with time zone", at},
		{"2026-12-03 09:39:19.0194996 +0000 UTC", "timestamp with time zone", at},
		{"2026-12-03 09:39:19.0194996 +0000 UTC m=+0.125", "timestamp with time zone", at},
		{"2026-12-03T09:39:19.0194996Z", "timestamp with time zone", at},
		{"2026-12-03 10:39:19.0194996+01:00", "timestamp with time zone", at.In(time.FixedZone("", 3600))},
		{"2024-01-15", "date", day},
		{day, "date", day},
		{[]byte(`{"a":1}`), "jsonb", `{"a":1}`},
		{"texte", "text", "texte"},
		{int64(42), "text", "42"},
		{"%PDF", "bytea", []byte("%PDF")},
		{[]byte{0, 1}, "bytea", []byte{0, 1}},
		{int64(7), "bigint", int64(7)},
		{12.5, "double precision", 12.5},
		{nil, "boolean", nil},
	} {
		got, err := convert(c.in, c.dataType)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			if gt, ok := got.(time.Time); ok && gt.Equal(c.want.(time.Time)) && err == nil {
				continue
			}
			t.Errorf("convert(%#v, %s) = %#v, %v; want %#v", c.in, c.dataType, got, err, c.want)
		}
	}
	for _, c := range []struct {
		in       any
		dataType string
	}{
		{[]byte("x"), "boolean"},
		{"demain", "timestamp with time zone"},
		{int64(3), "bytea"},
	} {
		if _, err := convert(c.in, c.dataType); err == nil {
			t.Errorf("convert(%#v, %s) succeeded", c.in, c.dataType)
		}
	}
}
