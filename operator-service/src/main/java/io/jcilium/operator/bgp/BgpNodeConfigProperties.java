package io.jcilium.operator.bgp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * BGP control plane settings of the operator ({@code jcilium.operator.bgp.*}).
 *
 * @param enabled whether the operator writes CiliumBGPNodeConfigs; off by default, as
 * upstream's {@code bgpControlPlane.enabled}
 * @param resyncSeconds how often to reconcile everything even without events
 */
@ConfigurationProperties("jcilium.operator.bgp")
public record BgpNodeConfigProperties(@DefaultValue("false") boolean enabled, @DefaultValue("30") int resyncSeconds) {

}
