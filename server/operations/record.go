package operations

import (
	"encoding/json"
	"time"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
)

// Status values of an operation.
const (
	Pending = "PENDING"
	Running = "RUNNING"
	Done    = "DONE"
)

// Record is one operation as the server keeps it. Links are built when it is
// shown, so a change of public URL changes every link.
type Record struct {
	Name       string          `json:"name"`
	Project    string          `json:"project"`
	Scope      string          `json:"scope"` // "global", "zones/z" or "regions/r"
	Type       string          `json:"operationType"`
	Kind       string          `json:"targetKind"` // collection of the target: "instances"
	Target     string          `json:"targetName"`
	TargetID   string          `json:"targetId,omitempty"` // OpenStack id of the target
	User       string          `json:"user,omitempty"`
	Status     string          `json:"status"`
	Progress   int64           `json:"progress"`
	Insert     time.Time       `json:"insertTime"`
	Start      time.Time       `json:"startTime,omitempty"`
	End        time.Time       `json:"endTime,omitempty"`
	Errors     []ErrorItem     `json:"errors,omitempty"`
	HTTPStatus int64           `json:"httpErrorStatusCode,omitempty"`
	HTTPText   string          `json:"httpErrorMessage,omitempty"`
	Machine    string          `json:"machine,omitempty"` // name of the registered Machine; "" when done at once
	State      json.RawMessage `json:"state,omitempty"`   // the Machine's own progress
	// TargetLink overrides the link built from Scope, Kind and Target, for
	// operations whose target lives in another scope (createSnapshot).
	TargetPath string `json:"targetPath,omitempty"`
}

// ErrorItem is one entry of error.errors[] of a failed operation.
type ErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Finish marks the record DONE now.
func (r *Record) Finish() {
	r.Status, r.Progress, r.End = Done, 100, time.Now()
}

// Fail marks the record DONE with an error. status is the HTTP status the
// error would have had on a synchronous call.
func (r *Record) Fail(status int, code, message string) {
	r.Finish()
	r.Errors = []ErrorItem{{Code: code, Message: message}}
	r.HTTPStatus = int64(status)
	r.HTTPText = httpText(status)
}

// Failed reports whether the record ended with an error.
func (r *Record) Failed() bool { return len(r.Errors) > 0 }

// LoadState decodes the Machine's state into v.
func (r *Record) LoadState(v any) error {
	if len(r.State) == 0 {
		return nil
	}
	return json.Unmarshal(r.State, v)
}

// SaveState encodes v as the Machine's state.
func (r *Record) SaveState(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	r.State = data
	return nil
}

// View returns the record as the API shows it.
func (r *Record) View(links gce.Links) *compute.Operation {
	op := &compute.Operation{
		Kind: "compute#operation", Id: gce.ID(r.Project + "/" + r.Name), Name: r.Name,
		OperationType: r.Type, Status: r.Status, Progress: r.Progress, User: r.User,
		InsertTime: gce.Timestamp(r.Insert), StartTime: gce.Timestamp(r.Start),
		EndTime:             gce.Timestamp(r.End),
		SelfLink:            links.Scoped(r.Project, r.Scope, "operations", r.Name),
		HttpErrorStatusCode: r.HTTPStatus, HttpErrorMessage: r.HTTPText,
	}
	op.TargetLink = r.targetLink(links)
	if r.TargetID != "" {
		op.TargetId = gce.ID(r.TargetID)
	}
	switch kind, name, _ := cutScope(r.Scope); kind {
	case "zones":
		op.Zone = links.Zone(r.Project, name)
	case "regions":
		op.Region = links.Region(r.Project, name)
	}
	if len(r.Errors) > 0 {
		op.Error = &compute.OperationError{}
		for _, e := range r.Errors {
			op.Error.Errors = append(op.Error.Errors,
				&compute.OperationErrorErrors{Code: e.Code, Message: e.Message})
		}
	}
	return op
}

func (r *Record) targetLink(links gce.Links) string {
	switch {
	case r.TargetPath != "":
		return links.Project(r.Project) + "/" + r.TargetPath
	case r.Kind == "projects":
		return links.Project(r.Project)
	}
	return links.Scoped(r.Project, r.Scope, r.Kind, r.Target)
}

func cutScope(scope string) (kind, name string, ok bool) {
	for i := 0; i < len(scope); i++ {
		if scope[i] == '/' {
			return scope[:i], scope[i+1:], true
		}
	}
	return scope, "", false
}

func httpText(status int) string {
	switch status {
	case 400:
		return "BAD REQUEST"
	case 403:
		return "FORBIDDEN"
	case 404:
		return "NOT FOUND"
	case 409:
		return "CONFLICT"
	case 412:
		return "PRECONDITION FAILED"
	case 429:
		return "TOO MANY REQUESTS"
	case 503:
		return "SERVICE UNAVAILABLE"
	}
	return "INTERNAL SERVER ERROR"
}
