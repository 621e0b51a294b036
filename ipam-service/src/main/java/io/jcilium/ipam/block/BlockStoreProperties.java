package io.jcilium.ipam.block;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where pool state lives.
 *
 * @param keyPrefix prefix of every Redis key ipam-service writes
 */
@ConfigurationProperties("jcilium.ipam.store")
public record BlockStoreProperties(@DefaultValue("jcilium:ipam:") String keyPrefix) {

}
