{{/*
The ConfigMap that carries a service's Spring application.yaml overrides.
Called with (dict "context" . "settings" <map>): settings are what the chart
derives from its values (ports, addresses of other services, Redis); the
subchart's free-form .Values.config is merged over them, so any Spring
property can be set without a template change.
*/}}
{{- define "jcilium.springConfigMap" -}}
{{- $ctx := .context -}}
{{- $merged := mustMergeOverwrite (deepCopy .settings) (deepCopy ($ctx.Values.config | default dict)) -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "jcilium.fullname" $ctx }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "jcilium.labels" $ctx | nindent 4 }}
data:
  application.yaml: |
    {{- toYaml $merged | nindent 4 }}
{{- end }}

{{/*
Addresses of the shared services. An empty global value means "the one this
release installs", reached through its Service name; set the global to point a
service elsewhere (e.g. an identity service of another release).
*/}}
{{- define "jcilium.identityAddress" -}}
{{- $g := .Values.global | default dict -}}
{{- $identity := $g.identity | default dict -}}
{{- $identity.address | default (printf "static://%s-identity:%s" .Release.Name (include "jcilium.identityServicePort" .)) -}}
{{- end }}

{{- define "jcilium.ipamAddress" -}}
{{- $g := .Values.global | default dict -}}
{{- $ipam := $g.ipam | default dict -}}
{{- $ipam.address | default (printf "static://%s-ipam:%s" .Release.Name (include "jcilium.ipamServicePort" .)) -}}
{{- end }}

{{/*
Ports of the Services other services call. They are globals so that the
Service (in one subchart) and its clients (in others) agree; the pods behind
them listen on their own ports.<name> and are reached by port name.
*/}}
{{- define "jcilium.identityServicePort" -}}
{{- $g := .Values.global | default dict -}}
{{- ($g.identity | default dict).grpcPort | default 9281 -}}
{{- end }}

{{- define "jcilium.ipamServicePort" -}}
{{- $g := .Values.global | default dict -}}
{{- ($g.ipam | default dict).grpcPort | default 9282 -}}
{{- end }}

{{- define "jcilium.hubblePeerPort" -}}
{{- $g := .Values.global | default dict -}}
{{- ($g.hubble | default dict).peerServicePort | default 80 -}}
{{- end }}

{{- define "jcilium.redisHost" -}}
{{- $g := .Values.global | default dict -}}
{{- $redis := $g.redis | default dict -}}
{{- $redis.host | default (printf "%s-redis" .Release.Name) -}}
{{- end }}

{{- define "jcilium.redisPort" -}}
{{- $g := .Values.global | default dict -}}
{{- $redis := $g.redis | default dict -}}
{{- $redis.port | default 6379 -}}
{{- end }}

{{/*
The Secret holding the Redis password: global.redis.existingSecret, else the one the bundled
Redis generates (<release>-redis); empty for an external Redis without a password.
*/}}
{{- define "jcilium.redisSecretName" -}}
{{- $g := .Values.global | default dict -}}
{{- $redis := $g.redis | default dict -}}
{{- if $redis.existingSecret -}}
{{- $redis.existingSecret -}}
{{- else if not $redis.host -}}
{{- printf "%s-redis" .Release.Name -}}
{{- end -}}
{{- end }}

{{- define "jcilium.redisSecretKey" -}}
{{- $g := .Values.global | default dict -}}
{{- ($g.redis | default dict).existingSecretPasswordKey | default "redis-password" -}}
{{- end }}

{{/* Redis password from its Secret, for services that store state in Redis. */}}
{{- define "jcilium.redisPasswordEnv" -}}
{{- with include "jcilium.redisSecretName" . -}}
- name: SPRING_DATA_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ include "jcilium.redisSecretKey" $ }}
{{- end }}
{{- end }}

{{- define "jcilium.redisTlsEnabled" -}}
{{- $g := .Values.global | default dict -}}
{{- if (($g.redis | default dict).tls | default dict).enabled -}}true{{- end -}}
{{- end }}

{{/*
Settings of a Redis client: address, and with TLS the CA that Redis's certificate must chain
to (a Spring SSL bundle read from the mounted Secret's ca.crt).
*/}}
{{- define "jcilium.redisSettings" -}}
data:
  redis:
    host: {{ include "jcilium.redisHost" . }}
    port: {{ include "jcilium.redisPort" . }}
    {{- if include "jcilium.redisTlsEnabled" . }}
    ssl:
      enabled: true
      bundle: redis
    {{- end }}
{{- if include "jcilium.redisTlsEnabled" . }}
ssl:
  bundle:
    pem:
      redis:
        truststore:
          certificate: file:/etc/jcilium/redis-tls/ca.crt
{{- end }}
{{- end }}

{{- define "jcilium.redisTlsSecretName" -}}
{{- $g := .Values.global | default dict -}}
{{- $tls := ($g.redis | default dict).tls | default dict -}}
{{- required "global.redis.tls.enabled=true needs global.redis.tls.existingSecret: a Secret with tls.crt, tls.key and ca.crt (e.g. from cert-manager)" $tls.existingSecret -}}
{{- end }}

{{- define "jcilium.redisTlsVolumeMount" -}}
{{- if include "jcilium.redisTlsEnabled" . -}}
- name: redis-tls
  mountPath: /etc/jcilium/redis-tls
  readOnly: true
{{- end }}
{{- end }}

{{- define "jcilium.redisTlsVolume" -}}
{{- if include "jcilium.redisTlsEnabled" . -}}
- name: redis-tls
  secret:
    secretName: {{ include "jcilium.redisTlsSecretName" . }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end }}

{{/*
mTLS between the services (global.tls). On by default; global.tls.enabled=false is
plaintext, a development setting. Each service mounts its Secret <release>-<chart>-tls
(tls.crt, tls.key, ca.crt: made by the umbrella chart, by cert-manager, or by the user)
and reads it as the Spring SSL bundle "grpc", reloaded when the kubelet updates the files.
*/}}
{{- define "jcilium.grpcTlsEnabled" -}}
{{- $g := .Values.global | default dict -}}
{{- if ($g.tls | default dict).enabled -}}true{{- end -}}
{{- end }}

{{/*
Per-node agent certificates (global.tls.agentCertificates=perNode, the default with TLS):
the agents ask the certificates API, the operator signs with <release>-ca.
*/}}
{{- define "jcilium.perNodeAgentCertificates" -}}
{{- $tls := (.Values.global | default dict).tls | default dict -}}
{{- if and $tls.enabled (eq ($tls.agentCertificates | default "perNode") "perNode") -}}true{{- end -}}
{{- end }}

{{/*
The names every agent's certificate carries besides its node's own: bgp-service dials
127.0.0.1, the relay's peer channel the hubble-peer Service. The operator expects exactly
these, so both read them from here.
*/}}
{{- define "jcilium.agentCertificateCommonNames" -}}
{{- $peer := printf "%s-hubble-peer" .Release.Name -}}
common-dns-names:
  - localhost
  - {{ $peer }}
  - {{ printf "%s.%s" $peer .Release.Namespace }}
  - {{ printf "%s.%s.svc" $peer .Release.Namespace }}
  - {{ printf "%s.%s.svc.cluster.local" $peer .Release.Namespace }}
common-ip-addresses:
  - 127.0.0.1
{{- end }}

{{- define "jcilium.grpcTlsSecretName" -}}
{{- printf "%s-%s-tls" .Release.Name .Chart.Name -}}
{{- end }}

{{/* The bundle every service reads its certificate, key and CA from. */}}
{{- define "jcilium.grpcTlsBundle" -}}
{{- if include "jcilium.grpcTlsEnabled" . -}}
spring:
  ssl:
    bundle:
      pem:
        grpc:
          reload-on-update: true
          keystore:
            certificate: file:/etc/jcilium/grpc-tls/tls.crt
            private-key: file:/etc/jcilium/grpc-tls/tls.key
          truststore:
            certificate: file:/etc/jcilium/grpc-tls/ca.crt
{{- end }}
{{- end }}

{{/* A gRPC server's TLS: the bundle, and client certificates required. */}}
{{- define "jcilium.grpcTlsServer" -}}
{{- if include "jcilium.grpcTlsEnabled" . -}}
spring:
  grpc:
    server:
      ssl:
        bundle: grpc
        client-auth: require
{{- end }}
{{- end }}

{{/*
A service's settings with the TLS settings merged in: (dict "context" . "settings" <map>
"server" <bool> "client" <map of extra client settings>).
*/}}
{{- define "jcilium.withGrpcTls" -}}
{{- $ctx := .context -}}
{{- $merged := deepCopy .settings -}}
{{- if include "jcilium.grpcTlsEnabled" $ctx -}}
{{- $merged = mustMergeOverwrite $merged (include "jcilium.grpcTlsBundle" $ctx | fromYaml) -}}
{{- if .server -}}
{{- $merged = mustMergeOverwrite $merged (include "jcilium.grpcTlsServer" $ctx | fromYaml) -}}
{{- end -}}
{{- $merged = mustMergeOverwrite $merged (deepCopy (.client | default dict)) -}}
{{- else -}}
{{- /* mTLS is the services' default: plaintext must be said. */ -}}
{{- $merged = mustMergeOverwrite $merged (dict "jcilium" (dict "tls" (dict "enabled" false))) -}}
{{- end -}}
{{- toYaml $merged -}}
{{- end }}

{{- define "jcilium.grpcTlsVolumeMount" -}}
{{- if include "jcilium.grpcTlsEnabled" . -}}
- name: grpc-tls
  mountPath: /etc/jcilium/grpc-tls
  readOnly: true
{{- end }}
{{- end }}

{{/* Not subPath-mounted: the kubelet updates a whole-volume mount when the Secret changes. */}}
{{- define "jcilium.grpcTlsVolume" -}}
{{- if include "jcilium.grpcTlsEnabled" . -}}
- name: grpc-tls
  secret:
    secretName: {{ include "jcilium.grpcTlsSecretName" . }}
    items:
      {{- /* A per-node agent's key and certificate live in its state directory. */}}
      {{- if not (and (eq .Chart.Name "agent") (include "jcilium.perNodeAgentCertificates" .)) }}
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
      {{- end }}
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end }}
