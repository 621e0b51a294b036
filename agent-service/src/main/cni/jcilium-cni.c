// SPDX-License-Identifier: Apache-2.0
/*
 * jcilium CNI plugin (CNI spec 1.0): forwards ADD, DEL and CHECK to the node agent's REST
 * API on its unix socket and prints the agent's CNI result or CNI error.
 *
 * A static binary with no dependency on the node's root file system (minimal node images
 * ship neither a shell with curl nor jq): it starts in about a millisecond, and the agent
 * does all the work. VERSION is answered here, so runtimes can probe the plugin without an
 * agent.
 *
 * Environment: the CNI_* variables of the spec. The agent socket is, in this order:
 * JCILIUM_AGENT_SOCKET, the network config's "agentSocket", /var/run/jcilium/agent.sock (the
 * agent's jcilium.agent.cni.socket-path). The config is the reliable place: runtimes may run
 * DEL from another process (podman: conmon's cleanup) that does not carry our environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SUPPORTED "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]"
#define DEFAULT_SOCKET "/var/run/jcilium/agent.sock"
#define TIMEOUT_MS 60000
/* The agent refuses larger bodies; reading more would only delay its answer. */
#define MAX_CONFIG (4 << 20)
#define MAX_RESPONSE (16 << 20)

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

static const char *config_text = "";

static void die_oom(void)
{
	fputs("jcilium-cni: out of memory\n", stderr);
	exit(1);
}

static void buf_add(struct buf *b, const char *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data)
			die_oom();
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static void buf_printf(struct buf *b, const char *format, ...)
{
	char small[512];
	va_list args;
	va_start(args, format);
	int n = vsnprintf(small, sizeof(small), format, args);
	va_end(args);
	if (n < 0)
		die_oom();
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	char *large = malloc((size_t)n + 1);
	if (!large)
		die_oom();
	va_start(args, format);
	vsnprintf(large, (size_t)n + 1, format, args);
	va_end(args);
	buf_add(b, large, (size_t)n);
	free(large);
}

/* Appends s as the inside of a JSON string. */
static void json_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\u%04x", c);
		else
			buf_add(b, (const char *)&c, 1);
	}
}

/*
 * The string value of the first "key": "value" in the config, or NULL. Enough for the two
 * flat top-level fields read here; the agent parses the config properly.
 */
static char *config_string(const char *key)
{
	char pattern[64];
	snprintf(pattern, sizeof(pattern), "\"%s\"", key);
	for (const char *p = strstr(config_text, pattern); p; p = strstr(p + 1, pattern)) {
		const char *v = p + strlen(pattern);
		while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
			v++;
		if (*v != ':')
			continue;
		v++;
		while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
			v++;
		if (*v != '"')
			continue;
		const char *end = strchr(++v, '"');
		if (!end)
			return NULL;
		return strndup(v, (size_t)(end - v));
	}
	return NULL;
}

/* The config's version for error results: digits and dots only, else the newest. */
static const char *config_version(void)
{
	char *v = config_string("cniVersion");
	if (!v || !*v || strspn(v, "0123456789.") != strlen(v))
		return "1.0.0";
	return v;
}

/* A CNI error result on stdout, exit 1. */
static void __attribute__((noreturn)) error(int code, const char *msg, const char *details)
{
	struct buf out = { 0 };
	buf_add(&out, "{\"cniVersion\":\"", 15);
	json_escape(&out, config_version());
	buf_printf(&out, "\",\"code\":%d,\"msg\":\"", code);
	json_escape(&out, msg);
	buf_add(&out, "\",\"details\":\"", 13);
	json_escape(&out, details);
	buf_add(&out, "\"}\n", 3);
	fwrite(out.data, 1, out.len, stdout);
	exit(1);
}

/* Spec error 4, which must name the variable. */
static void __attribute__((noreturn)) invalid(const char *variable, const char *details)
{
	char msg[64];
	snprintf(msg, sizeof(msg), "invalid %s", variable);
	error(4, msg, details);
}

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_space_or_control(unsigned char c)
{
	return c <= 0x20 || c == 0x7f;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * The CNI spec's rules for the attachment parameters, checked here as well as in the agent:
 * a line break in a value would otherwise end the HTTP header it travels in and inject
 * another.
 */
static void validate(const char *container, const char *ifname, const char *netns, const char *args,
		const char *path)
{
	int ok = is_alnum((unsigned char)container[0]);
	for (const char *c = container; ok && *c; c++)
		ok = is_alnum((unsigned char)*c) || *c == '_' || *c == '.' || *c == '-';
	if (!ok)
		invalid("CNI_CONTAINERID",
				"CNI_CONTAINERID must start with a letter or digit, followed only by letters, digits, "
				"'_', '.' or '-' (CNI spec)");

	ok = *ifname && strcmp(ifname, ".") != 0 && strcmp(ifname, "..") != 0;
	for (const char *c = ifname; ok && *c; c++)
		ok = *c != '/' && *c != ':' && !is_space_or_control((unsigned char)*c);
	if (!ok)
		invalid("CNI_IFNAME", "CNI_IFNAME must be 1-15 bytes, not '.' or '..', without '/', ':', whitespace or "
				"control characters");
	if (strlen(ifname) > 15)
		invalid("CNI_IFNAME", "CNI_IFNAME is longer than 15 bytes");

	if (*netns) {
		ok = netns[0] == '/' && !strstr(netns, "//") && !strstr(netns, "/./") && !strstr(netns, "/../")
				&& !ends_with(netns, "/.") && !ends_with(netns, "/..");
		for (const char *c = netns; ok && *c; c++)
			ok = !is_space_or_control((unsigned char)*c);
		if (!ok)
			invalid("CNI_NETNS",
					"CNI_NETNS must be a clean absolute path to a network namespace, e.g. /run/netns/<name>");
	}
	if (has_control(args))
		invalid("CNI_ARGS", "CNI_ARGS must not contain control characters");
	if (has_control(path))
		invalid("CNI_PATH", "CNI_PATH must not contain control characters");
}

static const char *env(const char *name)
{
	const char *value = getenv(name);
	return value ? value : "";
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits for the socket to be ready for events until the deadline; 0 on time-out. */
static int wait_for(int fd, short events, long long deadline)
{
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd p = { .fd = fd, .events = events };
		int n = poll(&p, 1, (int)left);
		if (n > 0)
			return 1;
		if (n == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/*
 * Sends the request and reads the whole response into response. 0 on success, else an
 * errno-like reason in why.
 */
static int exchange(const char *socket_path, const struct buf *request, struct buf *response, char *why,
		size_t why_len)
{
	long long deadline = now_ms() + TIMEOUT_MS;
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	if (strlen(socket_path) >= sizeof(address.sun_path)) {
		snprintf(why, why_len, "socket path longer than %zu bytes", sizeof(address.sun_path) - 1);
		return -1;
	}
	strcpy(address.sun_path, socket_path);
	/* A blocking connect bounded by SO_SNDTIMEO: on a unix socket whose backlog is full (a
	 * burst of pods) it waits for the agent to accept, where a non-blocking one would fail
	 * at once with EAGAIN. The exchange itself is non-blocking, against the deadline. */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval limit = { .tv_sec = TIMEOUT_MS / 1000 };
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit)) < 0
			|| connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0
			|| fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		snprintf(why, why_len, "connect: %s", (errno == EAGAIN || errno == EINPROGRESS) ? "no answer within 60 s" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (size_t sent = 0; sent < request->len;) {
		int ready = wait_for(fd, POLLOUT, deadline);
		if (ready <= 0)
			goto failed;
		ssize_t n = send(fd, request->data + sent, request->len - sent, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			goto failed;
		if (n > 0)
			sent += (size_t)n;
	}
	char chunk[16384];
	for (;;) {
		int ready = wait_for(fd, POLLIN, deadline);
		if (ready <= 0)
			goto failed;
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			goto failed;
		}
		buf_add(response, chunk, (size_t)n);
		if (response->len > MAX_RESPONSE) {
			snprintf(why, why_len, "answer larger than %d bytes", MAX_RESPONSE);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
failed:
	snprintf(why, why_len, "%s", (now_ms() >= deadline) ? "no answer within 60 s" : strerror(errno));
	close(fd);
	return -1;
}

/* The status code of an HTTP response and where its body starts, or -1. */
static int parse_response(const struct buf *response, const char **body, size_t *body_len)
{
	int status;
	if (response->len < 12 || sscanf(response->data, "HTTP/1.%*1[01] %3d", &status) != 1)
		return -1;
	const char *end = strstr(response->data, "\r\n\r\n");
	if (!end)
		return -1;
	*body = end + 4;
	*body_len = response->len - (size_t)(*body - response->data);
	/* The agent closes each connection after one answer; Content-Length bounds the body. */
	for (const char *line = strstr(response->data, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
		if (strncasecmp(line + 2, "Content-Length:", 15) == 0) {
			size_t length = strtoull(line + 17, NULL, 10);
			if (length < *body_len)
				*body_len = length;
		}
	}
	return status;
}

static void read_config(struct buf *config)
{
	char chunk[16384];
	for (;;) {
		ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error(7, "network config not readable", strerror(errno));
		}
		buf_add(config, chunk, (size_t)n);
		if (config->len > MAX_CONFIG)
			error(7, "network config too large", "the network config on stdin is larger than 4 MiB");
	}
	if (!config->data)
		buf_add(config, "", 0);
}

int main(void)
{
	const char *command = env("CNI_COMMAND");
	const char *route;
	if (strcmp(command, "VERSION") == 0) {
		fputs("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":" SUPPORTED "}\n", stdout);
		return 0;
	}
	if (strcmp(command, "ADD") == 0)
		route = "add";
	else if (strcmp(command, "DEL") == 0)
		route = "del";
	else if (strcmp(command, "CHECK") == 0)
		route = "check";
	else {
		char shown[64];
		size_t n = 0;
		for (const char *c = command; *c && n < sizeof(shown) - 1; c++)
			if (is_alnum((unsigned char)*c) || *c == '_' || *c == '-')
				shown[n++] = *c;
		shown[n] = '\0';
		char details[128];
		snprintf(details, sizeof(details), "CNI_COMMAND must be ADD, DEL, CHECK or VERSION, not '%s'", shown);
		error(4, "unknown CNI_COMMAND", details);
	}

	/* Read the config first: a runtime writing it to a plugin that already exited would
	 * get EPIPE instead of our error. */
	struct buf config = { 0 };
	read_config(&config);
	config_text = config.data;

	const char *container = env("CNI_CONTAINERID"), *ifname = env("CNI_IFNAME"), *netns = env("CNI_NETNS");
	const char *args = env("CNI_ARGS"), *path = env("CNI_PATH");
	validate(container, ifname, netns, args, path);

	const char *socket_path = getenv("JCILIUM_AGENT_SOCKET");
	if (!socket_path || !*socket_path)
		socket_path = config_string("agentSocket");
	if (!socket_path || !*socket_path)
		socket_path = DEFAULT_SOCKET;

	struct buf request = { 0 };
	buf_printf(&request,
			"PUT /v1/cni/%s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
			"Content-Length: %zu\r\nX-Cni-Containerid: %s\r\nX-Cni-Netns: %s\r\nX-Cni-Ifname: %s\r\n"
			"X-Cni-Args: %s\r\nX-Cni-Path: %s\r\nConnection: close\r\n\r\n",
			route, config.len, container, netns, ifname, args, path);
	buf_add(&request, config.data, config.len);

	struct buf response = { 0 };
	char why[160];
	if (exchange(socket_path, &request, &response, why, sizeof(why)) == 0) {
		const char *body;
		size_t body_len;
		int status = parse_response(&response, &body, &body_len);
		if (status >= 200 && status < 400) {
			fwrite(body, 1, body_len, stdout);
			return 0;
		}
		if (status >= 400 && body_len > 0) {
			/* The agent's CNI error. */
			fwrite(body, 1, body_len, stdout);
			return 1;
		}
		if (status >= 400) {
			char details[128];
			snprintf(details, sizeof(details), "the agent answered HTTP %d without a CNI error", status);
			error(11, "jcilium agent failed", details);
		}
		snprintf(why, sizeof(why), "not an HTTP answer");
	}

	/* The agent did not answer. DEL must not fail here: the runtime would retry forever
	 * and the pod could never be removed; the agent frees the pod's address when it
	 * restores its state. */
	if (strcmp(route, "del") == 0) {
		fprintf(stderr, "jcilium-cni: agent not reachable on %s (%s); DEL treated as done\n", socket_path, why);
		return 0;
	}
	char details[512];
	snprintf(details, sizeof(details), "no answer on unix socket %s (%s): is the agent running?", socket_path, why);
	error(11, "jcilium agent not reachable", details);
}
