package io.jcilium.agent.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.jcilium.common.ipam.PodIpAllocation;
import io.jcilium.common.ipam.PodIpAllocationsFile;
import io.jcilium.common.ipam.PodIpAllocator;
import io.jcilium.common.ipam.RestoreResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's pod IP allocator, written to the state directory after every change so a
 * restarted agent neither hands out an address still in use nor leaks one.
 */
public final class PersistentPodIps {

	private static final Logger logger = LoggerFactory.getLogger(PersistentPodIps.class);

	private final PodIpAllocator allocator;

	private final Path file;

	/**
	 * Reads the persisted allocations of {@code file} (none if it does not exist yet).
	 */
	public PersistentPodIps(String podCidr, Path file) {
		this.allocator = new PodIpAllocator(podCidr);
		this.file = file;
		try {
			RestoreResult result = this.allocator.restore(PodIpAllocationsFile.read(file));
			result.rejected().forEach((entry) -> logger.warn("pod IP allocation not restored: {}", entry));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read pod IP allocations from " + file, ex);
		}
	}

	public String podCidr() {
		return this.allocator.cidr();
	}

	/** Allocates (or returns the address already held by) {@code containerId}. */
	public synchronized InetAddress allocate(String containerId, InetAddress requested) {
		PodIpAllocation allocation = (requested != null) ? this.allocator.allocate(requested, containerId)
				: this.allocator.allocate(containerId);
		persist();
		return allocation.ip();
	}

	/** Frees whatever {@code containerId} holds. */
	public synchronized Optional<InetAddress> release(String containerId) {
		Optional<InetAddress> released = this.allocator.release(containerId);
		if (released.isPresent()) {
			persist();
		}
		return released;
	}

	/** Every address held, with its container. */
	public List<PodIpAllocation> allocations() {
		return this.allocator.allocations();
	}

	/** Who holds {@code ip}, if anyone. */
	public Optional<String> ownerOf(InetAddress ip) {
		return this.allocator.ownerOf(ip);
	}

	private void persist() {
		try {
			PodIpAllocationsFile.write(this.file, this.allocator.allocations());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot persist pod IP allocations to " + this.file, ex);
		}
	}

}
