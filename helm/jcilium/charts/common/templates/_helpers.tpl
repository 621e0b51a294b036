{{/*
Names and labels. Every subchart calls these with its own context, so
.Chart.Name is the service (agent, operator, ...), not "common".
Named templates are global across the umbrella and its subcharts; that is why
one library chart can serve them all.
*/}}

{{- define "jcilium.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* <release>-<service>, e.g. jcilium-identity; other services find this one by that name. */}}
{{- define "jcilium.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "jcilium.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "jcilium.selectorLabels" -}}
app.kubernetes.io/name: {{ include "jcilium.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "jcilium.labels" -}}
{{ include "jcilium.selectorLabels" . }}
app.kubernetes.io/component: {{ .Values.component | default (include "jcilium.name" .) }}
app.kubernetes.io/part-of: jcilium
app.kubernetes.io/version: {{ include "jcilium.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "jcilium.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "jcilium.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end }}

{{/*
The agents' ServiceAccount, one name for the agent chart (which creates it) and the
operator (which approves node certificate requests only from it): global, because a
subchart cannot read another's values.
*/}}
{{- define "jcilium.agentServiceAccountName" -}}
{{- $global := .Values.global | default dict -}}
{{- $global.agentServiceAccountName | default (printf "%s-agent" .Release.Name) | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* An empty tag means the chart's appVersion: chart and images are released together. */}}
{{- define "jcilium.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion -}}
{{- end }}

{{- define "jcilium.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "jcilium.imageTag" .) -}}
{{- end }}

{{/*
Pod template annotations: Prometheus scraping of the actuator endpoint, and a
checksum of the rendered ConfigMap so that a config change rolls the pods
(Spring reads application.yaml only at start).
*/}}
{{- define "jcilium.podAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if .Values.prometheus.scrape }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.ports.http | quote }}
prometheus.io/path: /actuator/prometheus
{{- end }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Spring Boot's probe groups (management.endpoint.health.probes.enabled=true in
every service). The startup probe covers the slow JVM start, so liveness can
stay strict once the service is up. A pod on the host network (agent, bgp)
answers health on loopback only (jcilium.admin.access), so its probes ask
127.0.0.1, which the kubelet shares with it (as upstream's agent probes):
include with (dict "context" . "host" "127.0.0.1").
*/}}
{{- define "jcilium.probes" -}}
{{- $context := .context | default . }}
{{- $host := .host }}
{{- range $probe := list "startup" "liveness" "readiness" }}
{{ $probe }}Probe:
  httpGet:
    {{- with $host }}
    host: {{ . | quote }}
    {{- end }}
    path: /actuator/health/{{ eq $probe "readiness" | ternary "readiness" "liveness" }}
    port: http
  periodSeconds: {{ (get $context.Values.probes $probe).periodSeconds }}
  {{- with (get $context.Values.probes $probe).timeoutSeconds }}
  timeoutSeconds: {{ . }}
  {{- end }}
  failureThreshold: {{ (get $context.Values.probes $probe).failureThreshold }}
{{- end }}
{{- end }}

{{/*
The rendered jcilium.admin.access of a service on the host network: loopback
(the default) or any, as the value admin says.
*/}}
{{- define "jcilium.adminAccess" -}}
{{- $access := .Values.admin | default "loopback" }}
{{- if not (has $access (list "loopback" "any")) }}
{{- fail (printf "%s.admin '%s' is not one of loopback, any (loopback: health and admin endpoints on 127.0.0.1 only; any: on every address, without authentication)" .Chart.Name $access) }}
{{- end }}
{{- $access }}
{{- end }}

{{/*
Environment every Spring service gets: where the ConfigMaps are mounted (the release's
upstream-shaped settings first, then the service's own, which win), JVM options, and
who/where it runs (the Downward API).
*/}}
{{- define "jcilium.springEnv" -}}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: optional:file:/etc/jcilium/cluster/,optional:file:/etc/jcilium/
- name: JAVA_TOOL_OPTIONS
  value: {{ .Values.jvmOptions | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "jcilium.configVolumeMount" -}}
- name: config
  mountPath: /etc/jcilium
  readOnly: true
{{- end }}

{{/*
The service's ConfigMap at /etc/jcilium, and its key of the umbrella's <release>-config
(settings from upstream-shaped values) at /etc/jcilium/cluster.
*/}}
{{- define "jcilium.configVolume" -}}
- name: config
  projected:
    sources:
      - configMap:
          name: {{ include "jcilium.fullname" . }}
      - configMap:
          name: {{ .Release.Name }}-config
          items:
            - key: {{ .Chart.Name }}.yaml
              path: cluster/application.yaml
            {{- if eq .Chart.Name "agent" }}
            - key: cni-uninstall
              path: cluster/cni-uninstall
            {{- end }}
{{- end }}

{{/*
Pod and container security of the services that need no privileges (identity, ipam, operator,
relay): an unprivileged user, the runtime's default seccomp profile, no privilege escalation,
no capabilities, a read-only root filesystem with a writable /tmp (the JVM's temporary files).
*/}}
{{- define "jcilium.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "jcilium.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end }}

{{- define "jcilium.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "jcilium.tmpVolume" -}}
- name: tmp
  emptyDir: {}
{{- end }}

{{/*
A PodDisruptionBudget for a Deployment: a node drain evicts at most maxUnavailable of its
pods at once (the operator keeps its standby, identity and ipam keep serving).
*/}}
{{- define "jcilium.podDisruptionBudget" -}}
{{- if .Values.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "jcilium.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "jcilium.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "jcilium.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/*
A headless Service in front of the actuator port, for workloads that have no Service of
their own (agent, operator, bgp), so that a ServiceMonitor can find their pods (upstream's
agent and operator metrics Services).
*/}}
{{- define "jcilium.metricsService" -}}
{{- if .Values.prometheus.serviceMonitor.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "jcilium.fullname" . }}-metrics
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "jcilium.labels" . | nindent 4 }}
spec:
  clusterIP: None
  selector:
    {{- include "jcilium.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .Values.ports.http }}
      targetPort: http
      protocol: TCP
{{- end }}
{{- end }}

{{/*
An optional Prometheus Operator ServiceMonitor (prometheus.serviceMonitor.enabled, as
upstream's): scrapes /actuator/prometheus on the port named http of the service's Service.
*/}}
{{- define "jcilium.serviceMonitor" -}}
{{- with .Values.prometheus.serviceMonitor }}
{{- if .enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "jcilium.fullname" $ }}
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "jcilium.labels" $ | nindent 4 }}
    {{- with .labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  namespaceSelector:
    matchNames:
      - {{ $.Release.Namespace }}
  selector:
    matchLabels:
      {{- include "jcilium.selectorLabels" $ | nindent 6 }}
  endpoints:
    - port: http
      path: /actuator/prometheus
      interval: {{ .interval }}
{{- end }}
{{- end }}
{{- end }}
