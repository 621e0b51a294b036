{{/*
Upstream-shaped values (routingMode, ipam.mode, hubble.relay.enabled, ...) checked once, with
a message naming the value and what it may be, so a typo fails the install instead of
leaving a service on its default.
*/}}
{{- define "jcilium.checkUpstreamValues" -}}
{{- $v := .Values -}}
{{- if not (has $v.routingMode (list "tunnel" "native")) -}}
{{- fail (printf "routingMode=%v: must be tunnel or native" $v.routingMode) -}}
{{- end -}}
{{- if ne $v.tunnelProtocol "vxlan" -}}
{{- fail (printf "tunnelProtocol=%v: jcilium's datapath encapsulates in VXLAN only; set vxlan" $v.tunnelProtocol) -}}
{{- end -}}
{{- if and (eq $v.routingMode "tunnel") (not (dig "datapath" "enabled" true $v.agent)) -}}
{{- fail "routingMode=tunnel needs agent.datapath.enabled=true (the datapath's VXLAN device carries traffic to other nodes); set routingMode=native" -}}
{{- end -}}
{{- if not (has (toString $v.kubeProxyReplacement) (list "true" "false")) -}}
{{- fail (printf "kubeProxyReplacement=%v: must be true or false" $v.kubeProxyReplacement) -}}
{{- end -}}
{{- if not (has $v.policyEnforcementMode (list "default" "always" "never")) -}}
{{- fail (printf "policyEnforcementMode=%v: must be default, always or never" $v.policyEnforcementMode) -}}
{{- end -}}
{{- if ne $v.identityAllocationMode "kvstore" -}}
{{- fail (printf "identityAllocationMode=%v: jcilium allocates identities in identity-service (Redis), upstream's kvstore mode; CiliumIdentity objects are not written, so set kvstore" $v.identityAllocationMode) -}}
{{- end -}}
{{- if not (has $v.ipam.mode (list "cluster-pool" "multi-pool")) -}}
{{- fail (printf "ipam.mode=%v: must be cluster-pool or multi-pool (ipam-service allocates both)" $v.ipam.mode) -}}
{{- end -}}
{{- if and $v.hubble.relay.enabled (not $v.hubble.enabled) -}}
{{- fail "hubble.relay.enabled=true needs hubble.enabled=true: the relay reads the agents' Hubble servers" -}}
{{- end -}}
{{- if hasKey ($v.bgp | default dict) "enabled" -}}
{{- fail "bgp.enabled is now bgpControlPlane.enabled, upstream's name" -}}
{{- end -}}
{{- if hasKey ($v.relay | default dict) "enabled" -}}
{{- fail "relay.enabled is now hubble.relay.enabled, upstream's name" -}}
{{- end -}}
{{- end }}

{{/* The agent's properties that upstream-shaped values set. */}}
{{- define "jcilium.agentClusterSettings" -}}
jcilium:
  agent:
    ipam:
      mode: {{ .Values.ipam.mode }}
    routing:
      mode: {{ .Values.routingMode }}
      auto-direct-node-routes: {{ .Values.autoDirectNodeRoutes }}
      {{- if .Values.tunnelPort }}
      tunnel-port: {{ .Values.tunnelPort }}
      {{- end }}
    policy:
      enforcement-mode: {{ .Values.policyEnforcementMode }}
    hubble:
      enabled: {{ .Values.hubble.enabled }}
    l2-announcements:
      enabled: {{ .Values.l2announcements.enabled }}
      # Upstream keeps the Leases in the agent's own namespace.
      lease-namespace: {{ .Release.Namespace }}
  service:
    socket-lb: {{ toString .Values.kubeProxyReplacement | eq "true" }}
{{- end }}

{{/* ipam-service's properties that upstream-shaped values set. */}}
{{- define "jcilium.ipamClusterSettings" -}}
jcilium:
  ipam:
    # multi-pool: no cluster pool, nodes get blocks of CiliumPodIPPools only (upstream's).
    mode: {{ .Values.ipam.mode }}
{{- end }}

{{/* The operator's properties that upstream-shaped values set. */}}
{{- define "jcilium.operatorClusterSettings" -}}
jcilium:
  operator:
    node:
      # multi-pool: CiliumNodes get no cluster-pool pod CIDR, as upstream.
      ipam-mode: {{ .Values.ipam.mode }}
    multi-pool:
      enabled: {{ eq .Values.ipam.mode "multi-pool" }}
    bgp:
      enabled: {{ .Values.bgpControlPlane.enabled }}
{{- end }}
