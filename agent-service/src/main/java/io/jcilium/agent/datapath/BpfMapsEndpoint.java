package io.jcilium.agent.datapath;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.loader.NodeMaps;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code GET /actuator/bpf/{map}}: the entries of one of the node's shared datapath maps
 * as the kernel holds them ({@code ipcache}, {@code endpoint}, {@code ct},
 * {@code metrics}), read on request; the console's {@code bpf ... list} commands print
 * them as upstream's {@code cilium-dbg bpf} does. Each entry is decoded
 * ({@link BpfMapRows}); nothing is cached, so what is shown is what the datapath uses.
 */
@WebEndpoint(id = "bpf")
public class BpfMapsEndpoint {

	static final List<String> MAPS = List.of("ipcache", "endpoint", "ct", "metrics");

	private final Supplier<NodeMaps> maps;

	/**
	 * The view.
	 * @param maps the node's maps, null while the datapath is not running
	 */
	public BpfMapsEndpoint(Supplier<NodeMaps> maps) {
		this.maps = maps;
	}

	@ReadOperation
	public WebEndpointResponse<Object> map(@Selector String map) {
		if (!MAPS.contains(map)) {
			return message("no map '" + map + "': one of " + String.join(", ", MAPS),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		NodeMaps current = this.maps.get();
		if (current == null) {
			return message("the datapath is not running (jcilium.datapath.enabled=false, or it failed to start: "
					+ "see /actuator/health)", WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		List<?> rows = switch (map) {
			case "ipcache" -> rows(current.ipcache().entries(), BpfMapRows::ipcache,
					Comparator.comparing(BpfMapRows.Ipcache::prefix));
			case "endpoint" -> rows(current.endpoints().entries(), BpfMapRows::endpoint,
					Comparator.comparingInt(BpfMapRows.Endpoint::id));
			case "ct" -> {
				long now = MonotonicClock.nowSeconds();
				yield rows(current.conntrack().entries(), (entry) -> BpfMapRows.conntrack(entry, now),
						Comparator.comparing(BpfMapRows.Conntrack::source)
							.thenComparing(BpfMapRows.Conntrack::destination));
			}
			default -> rows(current.metrics().snapshot(), BpfMapRows::metrics,
					Comparator.comparingInt(BpfMapRows.Metrics::reason).thenComparing(BpfMapRows.Metrics::direction));
		};
		return new WebEndpointResponse<>(rows);
	}

	/** A map's entries decoded into rows, in the order given. */
	private static <K, V, R> List<R> rows(Map<K, V> entries, Function<Map.Entry<K, V>, R> row, Comparator<R> order) {
		return entries.entrySet().stream().map(row).sorted(order).toList();
	}

	private static WebEndpointResponse<Object> message(String message, int status) {
		return new WebEndpointResponse<>(Map.of("message", message), status);
	}

}
