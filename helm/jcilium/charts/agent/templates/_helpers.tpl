{{/* Endpoint state files, inside the host directory mounted at the same path. */}}
{{- define "agent.stateDir" -}}
{{- printf "%s/state" (.Values.hostPaths.stateDir | trimSuffix "/") -}}
{{- end }}

{{/* Where the agent sees the host's cgroup2 (cgroup.hostRoot): outside every other mount. */}}
{{- define "agent.cgroupMountPath" -}}
/host/cgroupv2
{{- end }}

{{/* The agent API socket; the conflist hands the same path to the plugin on the host. */}}
{{- define "agent.socketPath" -}}
{{- printf "%s/agent.sock" (.Values.hostPaths.stateDir | trimSuffix "/") -}}
{{- end }}

{{/* The CNI network config naming the jcilium-cni plugin (docs/cni.md). */}}
{{- define "agent.conflist" -}}
{{- $plugin := dict "type" .Values.cni.pluginName "agentSocket" (include "agent.socketPath" .) -}}
{{- dict "cniVersion" "1.0.0" "name" .Values.cni.networkName "plugins" (list $plugin) | toJson -}}
{{- end }}
