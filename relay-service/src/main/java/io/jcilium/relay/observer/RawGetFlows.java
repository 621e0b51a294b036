package io.jcilium.relay.observer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.ObserverGrpc;

/**
 * {@code observer.Observer/GetFlows} with its responses left serialized: the relay reads
 * the agents' responses and serves its clients through this one descriptor, so a flow
 * crosses the relay as the bytes it arrived as ({@link WireResponse}). On the wire it is
 * the same method as the generated one: same name, same request, same response bytes.
 */
final class RawGetFlows {

	static final MethodDescriptor<GetFlowsRequest, byte[]> METHOD = ObserverGrpc.getGetFlowsMethod()
		.toBuilder(ProtoUtils.marshaller(GetFlowsRequest.getDefaultInstance()), new BytesMarshaller())
		.build();

	private RawGetFlows() {
	}

	private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {

		@Override
		public InputStream stream(byte[] value) {
			return new KnownLengthBytes(value);
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

	}

	/**
	 * Lets gRPC frame the message at once instead of buffering it to learn its size, and
	 * write the bytes straight into its buffer instead of through a copy loop.
	 */
	private static final class KnownLengthBytes extends ByteArrayInputStream implements KnownLength, Drainable {

		KnownLengthBytes(byte[] bytes) {
			super(bytes);
		}

		@Override
		public int drainTo(OutputStream target) throws IOException {
			int length = this.count - this.pos;
			target.write(this.buf, this.pos, length);
			this.pos = this.count;
			return length;
		}

	}

}
