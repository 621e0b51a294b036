{{- define "operator.leaseName" -}}
{{- .Values.leaderElection.leaseName | default (include "jcilium.fullname" .) -}}
{{- end }}
