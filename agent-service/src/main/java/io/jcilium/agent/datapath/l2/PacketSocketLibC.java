package io.jcilium.agent.datapath.l2;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls of an {@code AF_PACKET} socket that only sends whole Ethernet frames
 * (public: jnr-ffi implements it from outside the package).
 */
// Method names are the C symbols jnr-ffi binds to.
@SuppressWarnings("checkstyle:MethodName")
public interface PacketSocketLibC {

	int AF_PACKET = 17;

	int SOCK_RAW_CLOEXEC = 3 | 0x80000;

	@SaveError
	int socket(int domain, int type, int protocol);

	@SaveError
	@ssize_t
	long sendto(int fd, @In byte[] buffer, @size_t long length, int flags, @In byte[] address, int addressLength);

	int close(int fd);

	String strerror(int errno);

	static PacketSocketLibC load() {
		return Holder.INSTANCE;
	}

	final class Holder {

		static final PacketSocketLibC INSTANCE = LibraryLoader.create(PacketSocketLibC.class)
			.failImmediately()
			.load("c");

		private Holder() {
		}

	}

}
