package io.jcilium.cli.identity;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

import io.jcilium.api.identity.v1.Identity;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code identity list} and {@code identity get ID}: security identities from
 * identity-service, as upstream's {@code cilium-dbg identity list|get}.
 */
@Component
public class IdentityCommands {

	private final ServiceAddresses addresses;

	public IdentityCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "identity list", group = "Identity", description = "Security identities of the cluster: ID, LABELS",
			help = """
					identity list [-o json|yaml]
					  Lists every identity identity-service (jcilium.services.identity.grpc) knows, the
					  reserved ones (1-10) included, sorted by id.""")
	void list(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		List<Identity> identities;
		try (IdentityClient identity = IdentityClient.open(this.addresses)) {
			identities = identity.list()
				.stream()
				.sorted(Comparator.comparingLong((Identity known) -> Integer.toUnsignedLong(known.getId())))
				.toList();
		}
		print(context.outputWriter(), format, identities);
	}

	@Command(name = "identity get", group = "Identity", description = "One security identity: ID, LABELS", help = """
			identity get ID [-o json|yaml]
			  Looks the identity up in identity-service; fails (exit code 1) if it does not exist.""")
	void get(@Argument(index = 0, description = "the numeric identity") String id,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		long number = parseId(id);
		OutputFormat format = OutputFormat.parse(output);
		Identity identity;
		try (IdentityClient client = IdentityClient.open(this.addresses)) {
			identity = client.get(number);
		}
		PrintWriter out = context.outputWriter();
		if (format.table()) {
			out.print(IdentityTable.render(List.of(identity)));
			out.flush();
		}
		else {
			format.print(out, IdentityTable.data(identity));
		}
	}

	private static void print(PrintWriter out, OutputFormat format, List<Identity> identities) {
		if (format.table()) {
			out.print(IdentityTable.render(identities));
			out.flush();
		}
		else {
			format.print(out, IdentityTable.data(identities));
		}
	}

	private static long parseId(String text) {
		try {
			long id = Long.parseLong((text != null) ? text.strip() : "");
			if (id > 0 && id <= 0xFFFF_FFFFL) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("ID must be a numeric identity (1-4294967295), not '" + text + "'");
	}

}
