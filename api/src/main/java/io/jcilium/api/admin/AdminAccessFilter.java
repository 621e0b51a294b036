package io.jcilium.api.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;

/**
 * Refuses every request that does not come over loopback, except {@code GET} (or
 * {@code HEAD}) of the paths other addresses may read (the metrics). The service keeps
 * one HTTP port (a second connector or management context would cost memory, issue 20);
 * what a peer may do on it depends on where the connection comes from.
 * <p>
 * A connection counts as loopback when both its peer and the address it reached are
 * loopback addresses. The address it reached comes from the socket and no header can
 * change it, so a forwarded-for header naming 127.0.0.1 (honoured when Spring Boot trusts
 * forwarded headers, which it does by default on Kubernetes) gets nothing.
 */
public final class AdminAccessFilter implements Filter, Ordered {

	private static final Set<String> READS = Set.of("GET", "HEAD");

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private final boolean open;

	private final Set<String> remotePaths;

	/**
	 * @param open true ({@code jcilium.admin.access=any}): everyone gets everything
	 * @param remotePaths the paths other addresses may read
	 */
	public AdminAccessFilter(boolean open, List<String> remotePaths) {
		this.open = open;
		this.remotePaths = Set.copyOf(remotePaths);
	}

	@Override
	public int getOrder() {
		// Before anything else looks at the request.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest http = (HttpServletRequest) request;
		if (this.open || fromLoopback(http) || readsARemotePath(http)) {
			chain.doFilter(request, response);
			return;
		}
		HttpServletResponse refusal = (HttpServletResponse) response;
		refusal.setStatus(HttpServletResponse.SC_FORBIDDEN);
		refusal.setContentType("text/plain;charset=UTF-8");
		byte[] body = (http.getMethod() + " " + path(http)
				+ " answers only on loopback (jcilium.admin.access=loopback); from other addresses only GET of "
				+ String.join(", ", this.remotePaths.stream().sorted().toList()) + "\n")
			.getBytes(StandardCharsets.UTF_8);
		refusal.setContentLength(body.length);
		refusal.getOutputStream().write(body);
	}

	private boolean readsARemotePath(HttpServletRequest request) {
		return READS.contains(request.getMethod()) && this.remotePaths.contains(path(request));
	}

	// The servlet path is decoded and normalised by the container (no "..", no
	// ";params"),
	// so it is the path the dispatcher will route.
	private static String path(HttpServletRequest request) {
		String pathInfo = request.getPathInfo();
		return request.getServletPath() + ((pathInfo != null) ? pathInfo : "");
	}

	static boolean fromLoopback(HttpServletRequest request) {
		return isLoopback(request.getLocalAddr()) && isLoopback(request.getRemoteAddr());
	}

	private static boolean isLoopback(String address) {
		// Only a literal address: a name would make getByName look it up.
		if (address == null || !(address.indexOf(':') >= 0 || IPV4.matcher(address).matches())) {
			return false;
		}
		try {
			// An IPv4-mapped ::ffff:127.0.0.1 comes back as the IPv4 loopback.
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
