package io.duetdb.cli;

import io.duetdb.client.DuetClient;
import io.duetdb.client.Member;
import io.duetdb.client.MoveLeaderResult;
import io.duetdb.client.NodeStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "move-leader", mixinStandardHelpOptions = true, description = {
    "Hands leadership to another member: to ID, or with --away to any other member if the (single)",
    "endpoint's node leads now, else does nothing (a Kubernetes preStop hook).",
    "Examples:", "  duetctl move-leader n2", "  duetctl --endpoints 127.0.0.1:2379 move-leader --away"})
final class MoveLeaderCommand implements Callable<Integer> {
    /** The server waits up to 30 s for the target to catch up. */
    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(40);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "the member to lead")
    String target;

    @Option(names = "--away", description = "move leadership away from the endpoint's node, if it leads")
    boolean away;

    @Override
    public Integer call() {
        if ((target == null) == !away) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a member ID or --away");
        }
        final GlobalOptions global = GlobalOptions.of(spec);
        if (away && global.endpoints.size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--away needs exactly one endpoint: the node to move leadership away from");
        }
        final Duration timeout = global.timeout.compareTo(MIN_TIMEOUT) > 0 ? global.timeout : MIN_TIMEOUT;
        final Output out = global.output(spec, OutputFormat.simple);
        try (DuetClient client = global.client(spec)) {
            String to = target;
            if (away) {
                final NodeStatus self = client.cluster().status(global.endpoints.get(0));
                if (!self.isLeader()) {
                    out.print(Views.map("moved", false, "leader_id", self.leaderId()),
                        new Output.Table(List.of("MOVED", "LEADER"), List.of(List.of("false", self.leaderId()))),
                        List.of(self.memberId() + " does not lead (leader: " + display(self.leaderId()) + "): nothing to do"));
                    return DuetCtl.EXIT_OK;
                }
                final Optional<Member> other = client.cluster().memberList().members().stream()
                    .filter(m -> !m.id().equals(self.memberId())).findFirst();
                if (other.isEmpty()) {
                    throw new IllegalStateException(self.memberId() + " is the only member: there is nobody to hand "
                        + "leadership to");
                }
                to = other.get().id();
            }
            final MoveLeaderResult result = client.cluster().withTimeout(timeout).moveLeader(to);
            out.print(Views.map("header", Views.header(result.header()), "moved", true, "leader_id", result.leaderId()),
                new Output.Table(List.of("MOVED", "LEADER"), List.of(List.of("true", result.leaderId()))),
                List.of("leader is now " + result.leaderId()));
        }
        return DuetCtl.EXIT_OK;
    }

    private static String display(final String leaderId) {
        return leaderId.isEmpty() ? "none known" : leaderId;
    }
}
