// The templates the event-view differential test renders over every sampled real event.
// Names are stable keys into the Go goldens.
export const EVENT_TEMPLATES: readonly { name: string; template: string }[] = [
  { name: 'name', template: '{{ .Name }}' },
  { name: 'ns-name', template: '{{ .Namespace }}/{{ .Name }}' },
  { name: 'uid-rv', template: '{{ .UID }} {{ .ResourceVersion }} {{ .GenerateName }}' },
  { name: 'creation', template: '{{ .CreationTimestamp }}' },
  { name: 'labels', template: '{{ .Labels }} {{ .Annotations }}' },
  { name: 'labels-missing-key', template: '{{ .Labels.foo }}|{{ index .Labels "foo" }}' },
  { name: 'reason-type', template: '{{ .Reason }}/{{ .Type }}/{{ .Action }}' },
  { name: 'message', template: '{{ .Message }}' },
  { name: 'count', template: '{{ .Count }}' },
  { name: 'printf-count', template: '{{ printf "%d|%05d|%v" .Count .Count .Count }}' },
  { name: 'printf-q', template: '{{ printf "%s %q" .Reason .Message }}' },
  { name: 'first', template: '{{ .FirstTimestamp }}' },
  { name: 'last', template: '{{ .LastTimestamp }}' },
  { name: 'eventtime', template: '{{ .EventTime }}' },
  { name: 'source', template: '{{ .Source.Component }}/{{ .Source.Host }} {{ .Source }}' },
  { name: 'reporting', template: '{{ .ReportingController }}|{{ .ReportingInstance }}' },
  { name: 'series', template: '{{ .Series }}' },
  {
    name: 'series-with',
    template: '{{ with .Series }}{{ .Count }} {{ .LastObservedTime }}{{ else }}none{{ end }}',
  },
  { name: 'related', template: '{{ with .Related }}{{ .Kind }}/{{ .Name }}{{ else }}no related{{ end }}' },
  {
    name: 'involved',
    template: '{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }} in {{ .InvolvedObject.Namespace }}',
  },
  {
    name: 'involved-ids',
    template:
      '{{ .InvolvedObject.UID }} {{ .InvolvedObject.APIVersion }} {{ .InvolvedObject.ResourceVersion }} {{ .InvolvedObject.FieldPath }}',
  },
  { name: 'involved-labels', template: '{{ .InvolvedObject.Labels }}' },
  { name: 'involved-label-index', template: '{{ index .InvolvedObject.Labels "app.kubernetes.io/name" }}' },
  { name: 'involved-label-field', template: '{{ .InvolvedObject.Labels.app }}' },
  { name: 'involved-annotations', template: '{{ .InvolvedObject.Annotations }}' },
  { name: 'involved-deleted', template: '{{ .InvolvedObject.Deleted }}' },
  {
    name: 'owner-refs',
    template: '{{ range .InvolvedObject.OwnerReferences }}{{ .Kind }}/{{ .Name }} {{ end }}',
  },
  { name: 'owner', template: '{{ .InvolvedObject.Owner.Kind }}/{{ .InvolvedObject.Owner.Name }}' },
  { name: 'cluster', template: '{{ .ClusterName }}' },
  { name: 'occurrence-env', template: '{{ .Occurrence }} {{ .Environment }} {{ .Environment.env }}' },
  { name: 'ts-ms', template: '{{ .GetTimestampMs }}' },
  { name: 'ts-iso', template: '{{ .GetTimestampISO8601 }}' },
  { name: 'tojson-root', template: '{{ toJson . }}' },
  { name: 'torawjson-root', template: '{{ toRawJson . }}' },
  { name: 'toprettyjson-involved', template: '{{ toPrettyJson .InvolvedObject }}' },
  {
    name: 'tojson-parts',
    template:
      '{{ toJson .Labels }} {{ toJson .InvolvedObject.Labels }} {{ toJson .Source }} {{ toJson .Count }}',
  },
  {
    name: 'tojson-times',
    template:
      '{{ toJson .FirstTimestamp }} {{ toJson .LastTimestamp }} {{ toJson .EventTime }} {{ toJson .CreationTimestamp }}',
  },
  {
    name: 'tojson-pointers',
    template: '{{ toJson .Series }} {{ toJson .Related }} {{ toJson .InvolvedObject.OwnerReferences }}',
  },
  {
    name: 'if-warning',
    template: '{{ if eq .Type "Warning" }}W{{ else if eq .Type "Normal" }}N{{ else }}?{{ end }}',
  },
  { name: 'gt-count', template: '{{ if gt .Count 1 }}repeated x{{ .Count }}{{ else }}once{{ end }}' },
  {
    name: 'strings',
    template:
      '{{ .Reason | lower }} {{ upper .InvolvedObject.Kind }} {{ .Message | trunc 20 }} {{ title .Type }}',
  },
  { name: 'quote', template: '{{ .Message | quote }} {{ squote .Reason }}' },
  { name: 'hashes', template: '{{ .Message | b64enc }} {{ sha256sum .Name }}' },
  {
    name: 'defaults',
    template: '{{ default "none" .Action }} {{ coalesce .Source.Component .ReportingController "unknown" }}',
  },
  {
    name: 'empty',
    template:
      '{{ empty .Series }} {{ empty .Labels }} {{ empty .FirstTimestamp }} {{ empty .Count }} {{ empty .Related }}',
  },
  { name: 'len', template: '{{ len .Message }} {{ len .InvolvedObject.Labels }}' },
  {
    name: 'dict-json',
    template: '{{ dict "reason" .Reason "count" .Count "kind" .InvolvedObject.Kind | toJson }}',
  },
  { name: 'list-join', template: '{{ list .Namespace .Name .Reason | join "/" }}' },
  {
    name: 'regex',
    template:
      '{{ regexFind "[0-9]+" .Message }}|{{ regexReplaceAll `([a-z]+)-([a-z0-9]+)` .InvolvedObject.Name "${2}_$1" }}',
  },
  {
    name: 'replace-prefix',
    template:
      '{{ replace "-" "_" .InvolvedObject.Name }} {{ hasPrefix "Failed" .Reason }} {{ contains "image" .Message }}',
  },
  { name: 'arith', template: '{{ .Count | add 1 }} {{ mul .Count 1000 }} {{ sub .Count 1 }}' },
  {
    name: 'range-labels',
    template: '{{ range $k, $v := .InvolvedObject.Labels }}{{ $k }}={{ $v }},{{ end }}',
  },
  {
    name: 'slack',
    template:
      '*{{ .InvolvedObject.Kind }}* `{{ .InvolvedObject.Name }}` in {{ .Namespace }}: {{ .Reason }} - {{ .Message }}',
  },
  { name: 'split', template: '{{ (split "." .Name)._0 }} {{ splitList "." .Name | len }}' },
  { name: 'trim-indent', template: '{{ .Message | trim | nindent 2 }}' },
  // Go's int64 is exact: nanosecond timestamps (Loki) are beyond 2^53.
  {
    name: 'timestamp-ns',
    template: '{{ mul .GetTimestampMs 1000000 }} {{ printf "%d" (mul .GetTimestampMs 1000) }}',
  },
  {
    name: 'unix-nano',
    template: '{{ .LastTimestamp.UnixNano }} {{ .FirstTimestamp.UnixNano }} {{ .EventTime.UnixNano }}',
  },
  {
    name: 'unix',
    template:
      '{{ .LastTimestamp.Unix }} {{ .LastTimestamp.UnixMilli }} {{ .EventTime.UnixMicro }} {{ .CreationTimestamp.Unix }}',
  },
  {
    name: 'loki-values',
    template: '{{ dict "values" (list (list (toString .LastTimestamp.UnixNano) .Message)) | toJson }}',
  },
  {
    name: 'int64-arith',
    template:
      '{{ sub .LastTimestamp.UnixNano .FirstTimestamp.UnixNano }} {{ div .LastTimestamp.UnixNano 1000 }} {{ add .Count .LastTimestamp.UnixNano }}',
  },
];
