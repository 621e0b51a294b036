package io.jcilium.agent.datapath.libbpf;

import java.nio.file.Path;

import jnr.ffi.Pointer;

/**
 * A loaded BPF program by fd.
 *
 * @param name the C function name
 * @param fd the program fd (owned by its {@link BpfObject})
 * @param libbpf the library its object was opened with
 */
public record BpfProgram(String name, int fd, Libbpf libbpf) {

	// struct bpf_test_run_opts on x86_64 (libbpf 1.1); jnr's Struct would undercount the
	// tail padding.
	private static final int TEST_RUN_OPTS_SIZE = 80;

	private static final int OFF_DATA_IN = 8;

	private static final int OFF_DATA_OUT = 16;

	private static final int OFF_DATA_SIZE_IN = 24;

	private static final int OFF_DATA_SIZE_OUT = 28;

	private static final int OFF_RETVAL = 56;

	private static final int OFF_REPEAT = 60;

	private static final int OFF_DURATION = 64;

	/** Room for programs that grow the packet (encapsulation). */
	private static final int OUTPUT_HEADROOM = 256;

	/**
	 * Runs the program on a packet with {@code BPF_PROG_TEST_RUN}: the kernel builds an
	 * skb from the bytes (Ethernet frame for tc programs), runs the program and returns
	 * its verdict, the possibly rewritten packet and the mean run time. Map side effects
	 * are real.
	 * @param packet the frame, at least 14 bytes
	 * @param repeat how many runs (at least 1); the duration is the mean per run
	 * @return verdict, output bytes and duration
	 */
	public TestRunResult testRun(byte[] packet, int repeat) {
		LibBpfBindings lib = this.libbpf.bindings();
		Pointer in = this.libbpf.allocate(packet.length);
		in.put(0, packet, 0, packet.length);
		int outCapacity = packet.length + OUTPUT_HEADROOM;
		Pointer out = this.libbpf.allocate(outCapacity);
		Pointer opts = this.libbpf.allocate(TEST_RUN_OPTS_SIZE);
		opts.putLong(0, TEST_RUN_OPTS_SIZE);
		opts.putAddress(OFF_DATA_IN, in.address());
		opts.putAddress(OFF_DATA_OUT, out.address());
		opts.putInt(OFF_DATA_SIZE_IN, packet.length);
		opts.putInt(OFF_DATA_SIZE_OUT, outCapacity);
		opts.putInt(OFF_REPEAT, Math.max(1, repeat));
		this.libbpf.check(lib.bpf_prog_test_run_opts(this.fd, opts), "BPF_PROG_TEST_RUN of " + this.name);
		int outLen = Math.min(opts.getInt(OFF_DATA_SIZE_OUT), outCapacity);
		byte[] output = new byte[outLen];
		out.get(0, output, 0, outLen);
		return new TestRunResult(opts.getInt(OFF_RETVAL), output, Integer.toUnsignedLong(opts.getInt(OFF_DURATION)));
	}

	/**
	 * Pins the program so it outlives this process's fds.
	 * @param pinPath the bpffs path
	 */
	public void pin(Path pinPath) {
		this.libbpf.check(this.libbpf.bindings().bpf_obj_pin(this.fd, pinPath.toString()),
				"pin of program " + this.name);
	}

	/**
	 * Outcome of one test run.
	 *
	 * @param retval the program's return value (tc: TC_ACT_OK 0, TC_ACT_SHOT 2, ...)
	 * @param packetOut the packet after the program
	 * @param durationNs mean run time per repetition in nanoseconds
	 */
	public record TestRunResult(int retval, byte[] packetOut, long durationNs) {

	}

}
