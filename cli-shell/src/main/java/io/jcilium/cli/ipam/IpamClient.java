package io.jcilium.cli.ipam;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.ListAllocatedNodesRequest;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.services.GrpcTarget;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;

/**
 * ipam-service as the console reads it: the read-only calls of {@code ipam.v1}, each
 * bounded by a deadline, a failure turned into one line naming the service.
 */
final class IpamClient implements AutoCloseable {

	// As for identity-service: covers the connection made by a cold JVM on a loaded
	// machine.
	private static final long DEADLINE_SECONDS = 15;

	private static final GrpcTarget.Wording WORDING = new GrpcTarget.Wording("ipam.v1",
			"; is it running? 'status ipam' checks", "no answer within " + DEADLINE_SECONDS + " s");

	private final GrpcTarget grpc;

	private IpamClient(String target, ChannelCredentials credentials) {
		this.grpc = new GrpcTarget("ipam-service at", target, WORDING, credentials);
	}

	/**
	 * A client of the ipam-service at {@code jcilium.services.ipam.grpc}.
	 */
	static IpamClient open(ServiceAddresses addresses) {
		ServiceAddress ipam = addresses.services().get("ipam");
		if (ipam == null || ipam.grpc() == null) {
			throw new CommandFailedException(
					"no ipam-service address configured: set jcilium.services.ipam.grpc (host:port)");
		}
		return new IpamClient(ipam.grpc(), addresses.tls().credentials());
	}

	/** Every pool with its use, the cluster pool first, as the service lists them. */
	List<Pool> pools() {
		try {
			return stub().listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList();
		}
		catch (StatusRuntimeException ex) {
			throw this.grpc.failure(ex);
		}
	}

	/**
	 * What every node holding addresses holds: pod CIDRs and pool blocks. A node released
	 * between the two calls shows with nothing, as it then holds nothing.
	 */
	List<NodeCidrs> nodes() {
		try {
			List<String> names = stub().listAllocatedNodes(ListAllocatedNodesRequest.getDefaultInstance())
				.getNodesList();
			List<NodeCidrs> nodes = new ArrayList<>(names.size());
			for (String name : names) {
				nodes.add(stub().getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode(name).build()));
			}
			return nodes;
		}
		catch (StatusRuntimeException ex) {
			throw this.grpc.failure(ex);
		}
	}

	private IpamServiceGrpc.IpamServiceBlockingStub stub() {
		return IpamServiceGrpc.newBlockingStub(this.grpc.channel())
			.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
	}

	@Override
	public void close() {
		this.grpc.close();
	}

}
