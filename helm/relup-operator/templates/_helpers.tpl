{{- define "relup-operator.name" -}}relup-operator{{- end -}}
{{- define "relup-operator.labels" -}}
app.kubernetes.io/name: relup-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
