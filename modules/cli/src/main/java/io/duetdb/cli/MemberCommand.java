package io.duetdb.cli;

import io.duetdb.client.DuetClient;
import io.duetdb.client.Member;
import io.duetdb.client.MemberList;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "member", mixinStandardHelpOptions = true, description = {
    "Lists, adds and removes members. Change membership one member at a time.",
    "To add: start the new node empty with --join, then run 'member add'; it catches up before it votes.",
    "Never restart a removed member with its old data: wipe it and add it as a new member."})
final class MemberCommand {
    /** Membership changes wait for a new member to catch up: they get at least this long. */
    private static final java.time.Duration MIN_CHANGE_TIMEOUT = java.time.Duration.ofSeconds(60);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the members (as the leader sees them).")
    int list() {
        final GlobalOptions global = GlobalOptions.of(spec);
        try (DuetClient client = global.client(spec)) {
            print(global.output(spec, OutputFormat.table), client.cluster().memberList());
        }
        return DuetCtl.EXIT_OK;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
        "Adds a voting member. Start it first: duet start --join ... (empty data directory).",
        "Example: duetctl member add n4 --peer-address 10.0.0.4:7001 --client-address 10.0.0.4:2379"})
    int add(@Parameters(paramLabel = "ID") final String id,
            @Option(names = "--peer-address", required = true, paramLabel = "HOST:PORT",
                description = "its Raft port") final String peerAddress,
            @Option(names = "--client-address", required = true, paramLabel = "HOST:PORT",
                description = "its API port") final String clientAddress) {
        final GlobalOptions global = GlobalOptions.of(spec);
        try (DuetClient client = global.client(spec)) {
            print(global.output(spec, OutputFormat.table),
                client.cluster().withTimeout(changeTimeout(global)).addMember(id, peerAddress, clientAddress));
        }
        return DuetCtl.EXIT_OK;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a member by id.")
    int remove(@Parameters(paramLabel = "ID") final String id) {
        final GlobalOptions global = GlobalOptions.of(spec);
        try (DuetClient client = global.client(spec)) {
            print(global.output(spec, OutputFormat.table),
                client.cluster().withTimeout(changeTimeout(global)).removeMember(id));
        }
        return DuetCtl.EXIT_OK;
    }

    private static java.time.Duration changeTimeout(final GlobalOptions global) {
        return global.timeout.compareTo(MIN_CHANGE_TIMEOUT) > 0 ? global.timeout : MIN_CHANGE_TIMEOUT;
    }

    static void print(final Output out, final MemberList list) {
        final List<Object> members = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        for (final Member m : list.members()) {
            members.add(Views.map("id", m.id(), "peer_address", m.peerAddress(), "client_address", m.clientAddress(),
                "leader", m.leader()));
            rows.add(List.of(m.id(), m.peerAddress(), m.clientAddress(), m.leader() ? "true" : "false"));
        }
        out.print(Views.map("header", Views.header(list.header()), "members", members),
            new Output.Table(List.of("ID", "PEER ADDRESS", "CLIENT ADDRESS", "LEADER"), rows));
    }
}
