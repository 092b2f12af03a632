// Differential harness for the event view: declares Go structs mirroring the exporter's
// *kube.EnhancedEvent (core/v1 Event with its json tags, metav1.Time / MicroTime with their
// String and MarshalJSON), decodes each sampled event into it and renders every template with
// text/template + sprig, as the exporter's GetString does. Also records json.Marshal(event).
//
// Usage (GOPATH mode, sprig 3.2.3 from /usr/share/gocode; TZ=UTC like the exporter's image):
//   TZ=UTC GO111MODULE=off GOPATH=/usr/share/gocode go run event-view.go event-cases.json > event-view.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
)

const rfc3339Micro = "2006-01-02T15:04:05.000000Z07:00"

// Time mirrors metav1.Time: RFC 3339 seconds in UTC, null when zero. Decoding is lenient
// (unparseable → zero) so odd fixture values do not abort the run.
type Time struct{ time.Time }

func (t *Time) UnmarshalJSON(b []byte) error {
	t.Time = parseLenient(b, time.RFC3339)
	return nil
}

func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(time.RFC3339) + `"`), nil
}

// MicroTime mirrors metav1.MicroTime.
type MicroTime struct{ time.Time }

func (t *MicroTime) UnmarshalJSON(b []byte) error {
	t.Time = parseLenient(b, rfc3339Micro)
	return nil
}

func (t MicroTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(rfc3339Micro))
}

func parseLenient(b []byte, layout string) time.Time {
	var s string
	if string(b) == "null" || json.Unmarshal(b, &s) != nil {
		return time.Time{}
	}
	for _, l := range []string{layout, time.RFC3339} {
		if pt, err := time.Parse(l, s); err == nil {
			return pt.Local()
		}
	}
	return time.Time{}
}

type TypeMeta struct {
	Kind       string `json:"kind,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
}

type OwnerReference struct {
	APIVersion         string `json:"apiVersion"`
	Kind               string `json:"kind"`
	Name               string `json:"name"`
	UID                string `json:"uid"`
	Controller         *bool  `json:"controller,omitempty"`
	BlockOwnerDeletion *bool  `json:"blockOwnerDeletion,omitempty"`
}

type ObjectMeta struct {
	Name                       string            `json:"name,omitempty"`
	GenerateName               string            `json:"generateName,omitempty"`
	Namespace                  string            `json:"namespace,omitempty"`
	SelfLink                   string            `json:"selfLink,omitempty"`
	UID                        string            `json:"uid,omitempty"`
	ResourceVersion            string            `json:"resourceVersion,omitempty"`
	Generation                 int64             `json:"generation,omitempty"`
	CreationTimestamp          Time              `json:"creationTimestamp,omitempty"`
	DeletionTimestamp          *Time             `json:"deletionTimestamp,omitempty"`
	DeletionGracePeriodSeconds *int64            `json:"deletionGracePeriodSeconds,omitempty"`
	Labels                     map[string]string `json:"labels,omitempty"`
	Annotations                map[string]string `json:"annotations,omitempty"`
	OwnerReferences            []OwnerReference  `json:"ownerReferences,omitempty"`
	Finalizers                 []string          `json:"finalizers,omitempty"`
}

type ObjectReference struct {
	Kind            string `json:"kind,omitempty"`
	Namespace       string `json:"namespace,omitempty"`
	Name            string `json:"name,omitempty"`
	UID             string `json:"uid,omitempty"`
	APIVersion      string `json:"apiVersion,omitempty"`
	ResourceVersion string `json:"resourceVersion,omitempty"`
	FieldPath       string `json:"fieldPath,omitempty"`
}

type EventSource struct {
	Component string `json:"component,omitempty"`
	Host      string `json:"host,omitempty"`
}

type EventSeries struct {
	Count            int32     `json:"count,omitempty"`
	LastObservedTime MicroTime `json:"lastObservedTime,omitempty"`
}

type Event struct {
	TypeMeta            `json:",inline"`
	ObjectMeta          `json:"metadata,omitempty"`
	InvolvedObject      ObjectReference  `json:"involvedObject"`
	Reason              string           `json:"reason,omitempty"`
	Message             string           `json:"message,omitempty"`
	Source              EventSource      `json:"source,omitempty"`
	FirstTimestamp      Time             `json:"firstTimestamp,omitempty"`
	LastTimestamp       Time             `json:"lastTimestamp,omitempty"`
	Count               int32            `json:"count,omitempty"`
	Type                string           `json:"type,omitempty"`
	EventTime           MicroTime        `json:"eventTime,omitempty"`
	Series              *EventSeries     `json:"series,omitempty"`
	Action              string           `json:"action,omitempty"`
	Related             *ObjectReference `json:"related,omitempty"`
	ReportingController string           `json:"reportingComponent"`
	ReportingInstance   string           `json:"reportingInstance"`
}

// TopOwner is kube-event-router's addition (.InvolvedObject.Owner), not in the exporter.
type TopOwner struct {
	Kind       string
	Name       string
	APIVersion string
}

type EnhancedObjectReference struct {
	ObjectReference `json:",inline"`
	Labels          map[string]string `json:"labels,omitempty"`
	Annotations     map[string]string `json:"annotations,omitempty"`
	OwnerReferences []OwnerReference  `json:"ownerReferences,omitempty"`
	Deleted         bool              `json:"deleted"`
	Owner           TopOwner          `json:"-"`
}

type EnhancedEvent struct {
	Event          `json:",inline"`
	ClusterName    string                  `json:"clusterName"`
	InvolvedObject EnhancedObjectReference `json:"involvedObject"`
	// kube-event-router's additions.
	Occurrence  int               `json:"-"`
	Environment map[string]string `json:"-"`
}

func (e *EnhancedEvent) GetTimestampMs() int64 {
	timestamp := e.FirstTimestamp.Time
	if timestamp.IsZero() {
		timestamp = e.EventTime.Time
	}
	return timestamp.UnixNano() / (int64(time.Millisecond) / int64(time.Nanosecond))
}

func (e *EnhancedEvent) GetTimestampISO8601() string {
	timestamp := e.FirstTimestamp.Time
	if timestamp.IsZero() {
		timestamp = e.EventTime.Time
	}
	return timestamp.Format("2006-01-02T15:04:05.000Z")
}

type objectMeta struct {
	Labels          map[string]string `json:"labels"`
	Annotations     map[string]string `json:"annotations"`
	OwnerReferences []OwnerReference  `json:"ownerReferences"`
	Deleted         bool              `json:"deleted"`
	Owner           *struct {
		Kind       string `json:"kind"`
		Name       string `json:"name"`
		APIVersion string `json:"apiVersion"`
	} `json:"owner"`
}

type sample struct {
	Line        int               `json:"line"`
	Event       json.RawMessage   `json:"event"`
	Object      *objectMeta       `json:"object"`
	ClusterName string            `json:"clusterName"`
	Occurrence  int               `json:"occurrence"`
	Environment map[string]string `json:"environment"`
}

type casesFile struct {
	Templates []struct {
		Name     string `json:"name"`
		Template string `json:"template"`
	} `json:"templates"`
	Events []sample `json:"events"`
}

type result struct {
	Event  int     `json:"event"`
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

func enhance(s sample) *EnhancedEvent {
	var ev Event
	if err := json.Unmarshal(s.Event, &ev); err != nil {
		panic(fmt.Sprintf("line %d: %v", s.Line, err))
	}
	ev.TypeMeta = TypeMeta{} // informer objects carry no TypeMeta
	e := &EnhancedEvent{Event: ev, ClusterName: s.ClusterName, Occurrence: s.Occurrence, Environment: s.Environment}
	e.InvolvedObject.ObjectReference = ev.InvolvedObject
	if o := s.Object; o != nil {
		// The exporter reads these from the API, where an object without any has nil ones.
		if len(o.Labels) > 0 {
			e.InvolvedObject.Labels = o.Labels
		}
		if len(o.Annotations) > 0 {
			e.InvolvedObject.Annotations = o.Annotations
		}
		if len(o.OwnerReferences) > 0 {
			e.InvolvedObject.OwnerReferences = o.OwnerReferences
		}
		e.InvolvedObject.Deleted = o.Deleted
		if o.Owner != nil {
			e.InvolvedObject.Owner = TopOwner{o.Owner.Kind, o.Owner.Name, o.Owner.APIVersion}
		}
	}
	return e
}

func render(text string, e *EnhancedEvent) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	tmpl, err := template.New("template").Funcs(sprig.TxtFuncMap()).Parse(text)
	if err != nil {
		return "", err
	}
	buf := new(bytes.Buffer)
	if err := tmpl.Execute(buf, e); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var cases casesFile
	if err := json.Unmarshal(raw, &cases); err != nil {
		panic(err)
	}
	var results []result
	for i, s := range cases.Events {
		e := enhance(s)
		marshalled, _ := json.Marshal(e)
		m := string(marshalled)
		results = append(results, result{Event: i, Name: "json.Marshal", Output: &m})
		for _, t := range cases.Templates {
			out, err := render(t.Template, e)
			r := result{Event: i, Name: t.Name}
			if err != nil {
				msg := strings.TrimSpace(err.Error())
				r.Error = &msg
			} else {
				r.Output = &out
			}
			results = append(results, r)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(results); err != nil {
		panic(err)
	}
}
