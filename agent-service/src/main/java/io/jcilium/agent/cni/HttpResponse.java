package io.jcilium.agent.cni;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response of the agent API; every connection carries one request and is closed after
 * the response, which is all the CNI plugin and the console need.
 *
 * @param status HTTP status code
 * @param body JSON body, may be empty
 */
record HttpResponse(int status, byte[] body) {

	static HttpResponse json(int status, String body) {
		return new HttpResponse(status, body.getBytes(StandardCharsets.UTF_8));
	}

	static HttpResponse empty(int status) {
		return new HttpResponse(status, new byte[0]);
	}

	/** A JSON error {@code {"message": ...}}. */
	static HttpResponse error(int status, String message) {
		return json(status, "{\"message\":" + Json.quote(message) + "}");
	}

	/** The response as bytes, for writing without a stream. */
	byte[] bytes() {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(this.body.length + 128);
		try {
			write(out);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	void write(OutputStream out) throws IOException {
		String head = "HTTP/1.1 " + this.status + " " + reason(this.status) + "\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + this.body.length
				+ "\r\nConnection: close\r\n\r\n";
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(this.body);
		out.flush();
	}

	private static String reason(int status) {
		return switch (status) {
			case 200 -> "OK";
			case 400 -> "Bad Request";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 408 -> "Request Timeout";
			case 500 -> "Internal Server Error";
			case 503 -> "Service Unavailable";
			default -> "Status";
		};
	}

}
