package io.jcilium.relay.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;

/**
 * A gRPC marshaller of serialized messages as they are: the benchmark's agents send
 * responses serialized in advance and its client counts them without parsing, so that
 * what is measured is the relay, not the benchmark's own encoding and decoding.
 */
final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {

	static final RawBytes INSTANCE = new RawBytes();

	private RawBytes() {
	}

	@Override
	public InputStream stream(byte[] value) {
		return new Known(value);
	}

	@Override
	public byte[] parse(InputStream stream) {
		try {
			return stream.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static final class Known extends ByteArrayInputStream implements KnownLength {

		Known(byte[] bytes) {
			super(bytes);
		}

	}

}
