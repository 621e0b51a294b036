package io.jcilium.api.tls;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Spring Boot's SSL bundles, each handed out as a bundle whose managers follow its
 * reloads.
 * <p>
 * Spring Boot reloads a PEM bundle when its files change ({@code reload-on-update}) and
 * tells those who asked through {@link #addBundleUpdateHandler}; Spring gRPC 1.0 does not
 * ask: its servers and channels take the bundle's key and trust managers once and keep
 * them (spring-boot#49833, open). Through these bundles they keep managers that move to
 * the reloaded certificate themselves, so a rotated certificate is used by the next
 * connection, without a restart.
 */
public final class FollowingSslBundles implements SslBundles {

	private static final Log log = LogFactory.getLog(FollowingSslBundles.class);

	private final SslBundles registry;

	private final Map<String, FollowingSslBundle> following = new ConcurrentHashMap<>();

	/**
	 * @param registry Spring Boot's registry of bundles
	 */
	public FollowingSslBundles(SslBundles registry) {
		this.registry = registry;
	}

	@Override
	public SslBundle getBundle(String name) throws NoSuchSslBundleException {
		FollowingSslBundle bundle = this.following.get(name);
		if (bundle != null) {
			return bundle;
		}
		synchronized (this.following) {
			return this.following.computeIfAbsent(name, this::follow);
		}
	}

	private FollowingSslBundle follow(String name) {
		FollowingSslBundle bundle = new FollowingSslBundle(name, this.registry.getBundle(name));
		this.registry.addBundleUpdateHandler(name, (reloaded) -> {
			try {
				bundle.follow(reloaded);
				log.info("SSL bundle '" + name + "' reloaded: new connections use its new certificate and CA");
			}
			catch (RuntimeException ex) {
				// The last good certificate stays in use.
				log.error("SSL bundle '" + name + "' reloaded but not used, the previous certificate and CA stay in "
						+ "use: " + ex.getMessage());
			}
		});
		return bundle;
	}

	@Override
	public void addBundleUpdateHandler(String name, Consumer<SslBundle> updateHandler) throws NoSuchSslBundleException {
		this.registry.addBundleUpdateHandler(name, updateHandler);
	}

	@Override
	public void addBundleRegisterHandler(BiConsumer<String, SslBundle> registerHandler) {
		this.registry.addBundleRegisterHandler(registerHandler);
	}

	@Override
	public List<String> getBundleNames() {
		return this.registry.getBundleNames();
	}

}
