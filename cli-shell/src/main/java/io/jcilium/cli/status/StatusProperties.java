package io.jcilium.cli.status;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the {@code status} command.
 *
 * @param timeout how long one health check may take before its service counts as
 * unreachable; checks run in parallel
 */
@ConfigurationProperties("jcilium.cli.status")
public record StatusProperties(@DefaultValue("2s") Duration timeout) {

}
