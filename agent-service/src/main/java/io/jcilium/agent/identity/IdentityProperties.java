package io.jcilium.agent.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import io.jcilium.identity.client.IdentityClientSettings;
import io.jcilium.identity.client.IdentityClientSettings.BackoffSettings;
import io.jcilium.identity.client.IdentityClientSettings.BreakerSettings;
import io.jcilium.identity.client.IdentityClientSettings.KeepAliveSettings;
import io.jcilium.identity.client.IdentityClientSettings.RetrySettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the agent reaches identity-service, under {@code jcilium.agent.identity}.
 *
 * @param enabled whether pods get their identity from identity-service; when off, every
 * endpoint gets the reserved {@code init} identity
 * @param target identity-service, {@code host:port} or {@code static://host:port} or any
 * gRPC target
 * @param node this node's name, owner of the identity references; empty means the host
 * name
 * @param attemptTimeout deadline of one attempt of a call
 * @param callTimeout deadline of a whole call, retries included
 * @param heartbeatInterval how often the node's lease is renewed
 * @param retry retries of transient failures
 * @param circuitBreaker when calls stop going out and fail at once
 * @param watch reconnection of the Watch stream that feeds the identity cache
 * @param sslBundle the Spring SSL bundle ({@code spring.ssl.bundle.*}) holding this
 * node's certificate ({@code CN=system:node:<node>}) and the cluster's CA: the client
 * then speaks mTLS; empty means plaintext, a development setting
 */
@ConfigurationProperties("jcilium.agent.identity")
public record IdentityProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("static://localhost:9281") String target, String node,
		@DefaultValue("2s") Duration attemptTimeout, @DefaultValue("5s") Duration callTimeout,
		@DefaultValue("20s") Duration heartbeatInterval, @DefaultValue Retry retry,
		@DefaultValue CircuitBreaker circuitBreaker, @DefaultValue Watch watch, String sslBundle) {

	/** The node name: the configured one, else the host name. */
	public String nodeName() {
		if (this.node != null && !this.node.isBlank()) {
			return this.node;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("jcilium.agent.identity.node is not set and the host name cannot be "
					+ "determined (" + ex.getMessage() + "): set it to this node's name", ex);
		}
	}

	IdentityClientSettings toSettings() {
		return new IdentityClientSettings(this.target, nodeName(), this.attemptTimeout, this.callTimeout,
				this.heartbeatInterval,
				new RetrySettings(this.retry.maxAttempts(), this.retry.initialBackoff(), this.retry.maxBackoff()),
				new BreakerSettings(this.circuitBreaker.failureRateThreshold(), this.circuitBreaker.slidingWindowSize(),
						this.circuitBreaker.minimumCalls(), this.circuitBreaker.waitInOpen()),
				new BackoffSettings(this.watch.initialBackoff(), this.watch.maxBackoff()),
				new KeepAliveSettings(this.watch.keepAliveTime(), this.watch.keepAliveTimeout()));
	}

	/**
	 * @param maxAttempts attempts per call, the first included
	 * @param initialBackoff delay before the second attempt, doubled for each further one
	 * @param maxBackoff longest delay between attempts
	 */
	public record Retry(@DefaultValue("3") int maxAttempts, @DefaultValue("100ms") Duration initialBackoff,
			@DefaultValue("1s") Duration maxBackoff) {
	}

	/**
	 * @param failureRateThreshold percentage of failed calls that opens the breaker
	 * @param slidingWindowSize recent calls the rate is computed over
	 * @param minimumCalls calls needed before the rate counts
	 * @param waitInOpen how long calls fail at once before a trial call goes out
	 */
	public record CircuitBreaker(@DefaultValue("50") float failureRateThreshold,
			@DefaultValue("10") int slidingWindowSize, @DefaultValue("4") int minimumCalls,
			@DefaultValue("5s") Duration waitInOpen) {
	}

	/**
	 * @param initialBackoff first delay before reconnecting
	 * @param maxBackoff longest delay between reconnections
	 * @param keepAliveTime how long the connection may be silent before a ping checks it
	 * (at least 10 s; identity-service permits 20 s and more)
	 * @param keepAliveTimeout how long the ping's answer may take before the connection
	 * counts as dead and the Watch stream reconnects
	 */
	public record Watch(@DefaultValue("200ms") Duration initialBackoff, @DefaultValue("5s") Duration maxBackoff,
			@DefaultValue("30s") Duration keepAliveTime, @DefaultValue("10s") Duration keepAliveTimeout) {
	}

}
