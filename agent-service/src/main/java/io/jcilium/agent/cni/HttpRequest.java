package io.jcilium.agent.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request as the agent API reads it: enough of RFC 9112 for curl and the CNI
 * plugin (request line, headers, a Content-Length body, {@code Expect:
 * 100-continue}); chunked bodies are refused.
 *
 * @param method the method, e.g. {@code PUT}
 * @param path the path without query string
 * @param headers header fields by lower-case name
 * @param body the body, empty if none
 */
record HttpRequest(String method, String path, Map<String, String> headers, byte[] body) {

	static final int MAX_HEADER_BYTES = 16 * 1024;

	static final int MAX_BODY_BYTES = 1024 * 1024;

	String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	/**
	 * Reads one request; writes {@code 100 Continue} to {@code out} when the client waits
	 * for it.
	 * @throws BadRequestException when the request is malformed or too large
	 */
	static HttpRequest read(InputStream in, OutputStream out) throws IOException {
		String head = readHead(in);
		String[] lines = head.split("\r\n");
		String[] requestLine = lines[0].split(" ");
		if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
			throw new BadRequestException("malformed request line: " + lines[0]);
		}
		Map<String, String> headers = new HashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon <= 0) {
				throw new BadRequestException("malformed header line: " + lines[i]);
			}
			headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
					lines[i].substring(colon + 1).strip());
		}
		if (headers.containsKey("transfer-encoding")) {
			throw new BadRequestException("chunked request bodies are not supported: send Content-Length");
		}
		int length = contentLength(headers.get("content-length"));
		if (length > 0 && "100-continue".equalsIgnoreCase(headers.get("expect"))) {
			out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}
		byte[] body = in.readNBytes(length);
		if (body.length != length) {
			throw new BadRequestException("body ended after " + body.length + " of " + length + " bytes");
		}
		String target = requestLine[1];
		int query = target.indexOf('?');
		return new HttpRequest(requestLine[0], (query >= 0) ? target.substring(0, query) : target, headers, body);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new BadRequestException("connection closed inside the request head");
			}
			head.write(b);
			if (head.size() > MAX_HEADER_BYTES) {
				throw new BadRequestException("request head larger than " + MAX_HEADER_BYTES + " bytes");
			}
			matched = (b == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		byte[] bytes = head.toByteArray();
		return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
	}

	private static int contentLength(String value) {
		if (value == null) {
			return 0;
		}
		try {
			int length = Integer.parseInt(value.strip());
			if (length < 0 || length > MAX_BODY_BYTES) {
				throw new BadRequestException("Content-Length " + length + " outside 0.." + MAX_BODY_BYTES);
			}
			return length;
		}
		catch (NumberFormatException ex) {
			throw new BadRequestException("Content-Length is not a number: " + value);
		}
	}

	/** The request cannot be understood; answered with 400. */
	static final class BadRequestException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		BadRequestException(String message) {
			super(message);
		}

	}

}
