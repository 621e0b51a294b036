package io.jcilium.agent.cni;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HttpRequestTest {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	@Test
	void readsMethodPathHeadersAndBody() throws IOException {
		HttpRequest request = read("PUT /v1/cni/add?x=1 HTTP/1.1\r\nHost: localhost\r\nX-Cni-Ifname: eth0\r\n"
				+ "Content-Length: 2\r\n\r\n{}");
		assertThat(request.method()).isEqualTo("PUT");
		assertThat(request.path()).isEqualTo("/v1/cni/add");
		assertThat(request.header("X-CNI-IFNAME")).isEqualTo("eth0");
		assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
		assertThat(this.out.size()).isZero();
	}

	@Test
	void answersExpectContinueBeforeReadingTheBody() throws IOException {
		read("PUT /v1/cni/add HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}");
		assertThat(this.out.toString(StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
	}

	@Test
	void refusesChunkedBodiesAndTruncatedOnes() {
		assertThatExceptionOfType(HttpRequest.BadRequestException.class)
			.isThrownBy(() -> read("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"))
			.withMessageContaining("Content-Length");
		assertThatExceptionOfType(HttpRequest.BadRequestException.class)
			.isThrownBy(() -> read("PUT / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}"))
			.withMessageContaining("2 of 10");
		assertThatExceptionOfType(HttpRequest.BadRequestException.class).isThrownBy(() -> read("GARBAGE\r\n\r\n"))
			.withMessageContaining("request line");
	}

	private HttpRequest read(String text) throws IOException {
		return HttpRequest.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), this.out);
	}

}
