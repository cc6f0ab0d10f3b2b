{{/* The StatefulSet's name, which prefixes the pods' names (their node ids): the release name when it
     contains "duet", else RELEASE-duet. At most 52 characters, so that pod and Service names fit. */}}
{{- define "duet.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "duet.peersService" -}}
{{- printf "%s-peers" (include "duet.fullname" .) -}}
{{- end -}}

{{/* Labels that select this release's pods (never change them: selectors are immutable). */}}
{{- define "duet.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "duet.labels" -}}
{{ include "duet.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
