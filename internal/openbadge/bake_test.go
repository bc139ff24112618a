package openbadge

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"testing"

	"github.com/certibloc/certibloc"
)

func TestBaking(t *testing.T) {
	iss := testIssuer(t)
	in := testInput(3)
	cred := issued(t, iss, in, nil)
	v := ownVerifier(iss, nil)

	p, err := BakePNG(BadgePNG(in.Achievement), cred)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(p)); err != nil {
		t.Fatalf("the baked PNG is no longer an image: %v", err)
	}
	s, err := BakeSVG(BadgeSVG(in.Achievement), cred)
	if err != nil {
		t.Fatal(err)
	}
	for name, img := range map[string][]byte{"png": p, "svg": s} {
		got, err := Unbake(img)
		if err != nil || !bytes.Equal(got, cred) {
			t.Fatalf("%s: unbaked %d bytes (%v), want the credential", name, len(got), err)
		}
		if r := v.Verify(context.Background(), got, certibloc.French); !r.Valid {
			t.Errorf("%s: the baked credential does not verify: %+v", name, r.Checks)
		}
	}
	// Baking again replaces the credential.
	p2, _ := BakePNG(p, []byte(`{"a":1}`))
	if got, _ := UnbakePNG(p2); string(got) != `{"a":1}` {
		t.Errorf("baked again: %s", got)
	}
	if _, err := Unbake(BadgePNG(in.Achievement)); !errors.Is(err, ErrNotBaked) {
		t.Errorf("a PNG without a credential: %v", err)
	}
	if _, err := Unbake(BadgeSVG(in.Achievement)); !errors.Is(err, ErrNotBaked) {
		t.Errorf("an SVG without a credential: %v", err)
	}
	if _, err := Unbake([]byte("\x89PNG\r\n\x1a\n\x00\x00\xff\xffIHDR")); err == nil {
		t.Error("a cut PNG is read")
	}
}
