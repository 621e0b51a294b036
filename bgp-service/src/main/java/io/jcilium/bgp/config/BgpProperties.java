package io.jcilium.bgp.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * bgp-service's settings.
 *
 * @param labFile a file of upstream BGP resources to run without an API server (lab
 * mode), or {@code null}
 * @param nodeName the node this speaker runs as (its CiliumNode in the lab file); may be
 * left out when the file has one
 * @param eventLoopThreads Netty event loops; each neighbour lives on one
 * @param apiServerEnabled whether to run from this node's CiliumBGPNodeConfig on the API
 * server (needs {@code node-name})
 * @param resyncSeconds how often the API server mode reconciles without events
 * @param agentAddress the local agent's gRPC address (e.g. {@code localhost:4244}), whose
 * {@code agent.v1.NodeStateService} gives the API server mode the node's pod CIDRs and
 * the service addresses it serves; {@code null}: pod CIDRs from the CiliumNode, no
 * service advertisements
 * @param agentSslBundle the Spring SSL bundle ({@code spring.ssl.bundle.pem.<name>}) with
 * this speaker's client certificate and the cluster's CA, for mTLS to the agent; empty
 * means plaintext, a development setting
 * @param secretsNamespace where the Secrets named by peers' {@code authSecretRef} (TCP
 * MD5 passwords, key {@code password}) live, upstream's {@code bgp-secrets-namespace}
 */
@ConfigurationProperties("bgp")
public record BgpProperties(Path labFile, String nodeName, @DefaultValue("2") int eventLoopThreads,
		@DefaultValue("false") boolean apiServerEnabled, @DefaultValue("30") int resyncSeconds, String agentAddress,
		String agentSslBundle, @DefaultValue("kube-system") String secretsNamespace) {

}
