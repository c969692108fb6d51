{{- define "relup-operator.name" -}}relup-operator{{- end -}}
{{- define "relup-operator.labels" -}}
app.kubernetes.io/name: relup-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
{{- /* The operator pods' selector labels: the Deployment's selector, and what release NetworkPolicies admit. */ -}}
{{- define "relup-operator.selectorLabels" -}}
app.kubernetes.io/name: relup-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- /* The same labels as key=value,key=value (relup.network-policy.operator-labels). */ -}}
{{- define "relup-operator.selectorLabelsText" -}}
{{- $parts := list }}
{{- range $k, $v := include "relup-operator.selectorLabels" . | fromYaml }}
{{- $parts = append $parts (printf "%s=%s" $k $v) }}
{{- end }}
{{- join "," $parts }}
{{- end -}}
