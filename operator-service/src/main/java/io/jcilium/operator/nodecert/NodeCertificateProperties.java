package io.jcilium.operator.nodecert;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-node certificate signing settings ({@code jcilium.operator.node-certificates.*}).
 *
 * @param enabled whether the operator approves and signs node certificate requests
 * @param agentNamespace the agents' namespace
 * @param agentServiceAccount the agents' ServiceAccount: only it may ask
 * @param caSecretName the Secret holding the cluster's CA ({@code ca.crt},
 * {@code ca.key}), in {@code caSecretNamespace}
 * @param caSecretNamespace the CA Secret's namespace
 * @param clusterName the cluster's name, in the Hubble server name
 * {@code <node>.<cluster>.hubble-grpc.cilium.io}
 * @param validityHours how long a node certificate is valid (agents renew at two thirds)
 * @param commonDnsNames DNS names every agent's certificate carries besides its own
 * @param commonIpAddresses IP addresses every agent's certificate carries besides the
 * node's InternalIPs
 * @param resyncSeconds how often to look at every request without events
 */
@ConfigurationProperties("jcilium.operator.node-certificates")
public record NodeCertificateProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("kube-system") String agentNamespace, @DefaultValue("jcilium-agent") String agentServiceAccount,
		@DefaultValue("jcilium-ca") String caSecretName, @DefaultValue("kube-system") String caSecretNamespace,
		@DefaultValue("default") String clusterName, @DefaultValue("24") int validityHours, @DefaultValue( {
		}) List<String> commonDnsNames, @DefaultValue({}) List<String> commonIpAddresses,
		@DefaultValue("30") int resyncSeconds){

}
