package io.jcilium.agent.datapath.link;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls a {@code NETLINK_ROUTE} socket needs, and joining a pod's network
 * namespace from one thread. Public only because jnr-ffi generates its implementation in
 * a class loader of its own.
 */
// Method names are the C symbols jnr-ffi binds to.
@SuppressWarnings("checkstyle:MethodName")
public interface RtnetlinkLibC {

	int AF_NETLINK = 16;

	int SOCK_RAW_CLOEXEC = 3 | 0x80000;

	int NETLINK_ROUTE = 0;

	int SOL_SOCKET = 1;

	int SO_SNDTIMEO = 21;

	int SO_RCVTIMEO = 20;

	int O_RDONLY_CLOEXEC = 0x80000;

	int CLONE_NEWNET = 0x40000000;

	@SaveError
	int socket(int domain, int type, int protocol);

	@SaveError
	int setsockopt(int fd, int level, int option, @In byte[] value, int length);

	@SaveError
	@ssize_t
	long send(int fd, @In byte[] buffer, @size_t long length, int flags);

	@SaveError
	@ssize_t
	long recv(int fd, @Out byte[] buffer, @size_t long length, int flags);

	@SaveError
	int open(String path, int flags);

	@SaveError
	int close(int fd);

	@SaveError
	int setns(int fd, int nstype);

	int if_nametoindex(String name);

	String strerror(int errno);

	static RtnetlinkLibC load() {
		return Holder.INSTANCE;
	}

	/** Loaded on first use. */
	final class Holder {

		static final RtnetlinkLibC INSTANCE = LibraryLoader.create(RtnetlinkLibC.class).failImmediately().load("c");

		private Holder() {
		}

	}

}
