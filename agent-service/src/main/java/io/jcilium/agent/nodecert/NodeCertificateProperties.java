package io.jcilium.agent.nodecert;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The node certificate settings ({@code jcilium.agent.node-certificate.*}).
 *
 * @param enabled whether the agent asks for a certificate naming its node (the chart's
 * per-node mode); the {@code grpc} SSL bundle then reads {@code tls.key} and
 * {@code tls.crt} from {@code directory}
 * @param directory where key and certificate are kept (under the state directory, so a
 * restart reuses them)
 * @param signingTimeout how long the start waits for the operator to sign
 * @param poll how often a pending request is looked at
 * @param retry the first delay after a failed renewal (doubling up to ten times it)
 * @param commonDnsNames DNS names every agent's certificate carries (the operator expects
 * the same list)
 * @param commonIpAddresses IP addresses every agent's certificate carries
 */
@ConfigurationProperties("jcilium.agent.node-certificate")
public record NodeCertificateProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("/var/run/jcilium/state/node-certificate") Path directory,
		@DefaultValue("5m") Duration signingTimeout, @DefaultValue("1s") Duration poll,
		@DefaultValue("30s") Duration retry, @DefaultValue( {
		}) List<String> commonDnsNames, @DefaultValue({}) List<String> commonIpAddresses){

}
