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
 */
@ConfigurationProperties("bgp")
public record BgpProperties(Path labFile, String nodeName, @DefaultValue("2") int eventLoopThreads) {

}
