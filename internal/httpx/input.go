package httpx

import (
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/certibloc/certibloc"
)

// Maximum lengths of what a request carries, beyond which no field of the
// system goes: the domain's own limits (certibloc.MaxName…) are checked
// by its validation, with the same messages.
const (
	maxPath  = 2000
	maxQuery = 2000
	maxForm  = certibloc.MaxField
)

// CheckURL refuses a request whose path or query parameters hold control
// characters or invalid UTF-8, or are too long for any field, naming the
// parameter. Handlers then read path values and parameters that are text.
func CheckURL(r *http.Request) error {
	if err := certibloc.CheckText("the path", r.URL.Path, maxPath, false); err != nil {
		return err
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return certibloc.Errorf(certibloc.EINVALID, "the query string is malformed: %v", err)
	}
	return checkValues("query parameter ", q, maxQuery, false)
}

// CheckForm refuses a posted form whose fields hold control characters
// (tab and line breaks pass: text areas have lines) or invalid UTF-8, or
// are longer than any field may be, naming the field; the file names of
// a multipart form are checked too, not the files. The form must have
// been parsed (and its body bounded) by the caller.
func CheckForm(r *http.Request) error {
	if err := checkValues("field ", r.PostForm, maxForm, true); err != nil {
		return err
	}
	if r.MultipartForm == nil {
		return nil
	}
	if err := checkValues("field ", r.MultipartForm.Value, maxForm, true); err != nil {
		return err
	}
	for _, name := range sortedKeys(r.MultipartForm.File) {
		for _, fh := range r.MultipartForm.File[name] {
			if err := checkFile(name, fh); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkFile(name string, fh *multipart.FileHeader) error {
	return certibloc.CheckText("the name of file "+name, fh.Filename, certibloc.MaxName, false)
}

// checkValues checks every name and value of vs, in the order of names.
func checkValues(prefix string, vs map[string][]string, max int, multiline bool) error {
	for _, name := range sortedKeys(vs) {
		if err := certibloc.CheckText(strings.TrimSpace(prefix+"name"), name, certibloc.MaxName, false); err != nil {
			return err
		}
		for _, v := range vs[name] {
			if err := certibloc.CheckText(prefix+name, v, max, multiline); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
