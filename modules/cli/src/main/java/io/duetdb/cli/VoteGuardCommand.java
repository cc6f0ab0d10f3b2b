package io.duetdb.cli;

import io.duetdb.server.recovery.VoteGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "vote-guard", mixinStandardHelpOptions = true, description = {
    "Offline tools for a stopped member's vote guard. A member whose Raft log or Raft metadata lost",
    "something does not vote until it has caught up with a leader (docs/recovery.md#raft-log).",
    "DIR is the member's data directory."})
final class VoteGuardCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = "Says whether the member votes, and if not, why.")
    int show(@Parameters(paramLabel = "DIR") final Path dir) throws IOException {
        final VoteGuard guard = VoteGuard.load(dir);
        final String floor = guard.floor() == null ? "" : guard.floor().toString();
        GlobalOptions.of(spec).output(spec, OutputFormat.simple).print(
            Views.map("votes", !guard.closed(), "reason", guard.reason(), "votes_for_logs_reaching", floor),
            new Output.Table(List.of("VOTES", "REASON", "VOTES FOR LOGS REACHING"), List.of(List.of(
                Boolean.toString(!guard.closed()), guard.closed() ? guard.reason() : "", floor))),
            List.of(!guard.closed() ? "votes"
                : "does not vote: " + guard.reason() + (floor.isEmpty() ? "" : "; except for a candidate whose log "
                + "reaches " + floor + " (what this member held)")));
        return DuetCtl.EXIT_OK;
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = {
        "Lets the member vote again at its next start without catching up first. Only for when no",
        "leader can be elected otherwise (a majority of members lost Raft log entries at once): pick",
        "the member with the highest applied index. Entries committed that no started member holds",
        "are lost. Needs --i-accept-losing-committed-entries."})
    int clear(@Parameters(paramLabel = "DIR") final Path dir,
              @Option(names = "--i-accept-losing-committed-entries",
                  description = "confirm: committed entries held only by members that lost them are gone")
              final boolean accepted) throws IOException {
        final VoteGuard guard = VoteGuard.load(dir);
        if (!guard.closed()) {
            System.out.println("the member in " + dir + " votes already: nothing to clear");
            return DuetCtl.EXIT_OK;
        }
        if (!accepted) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the member does not vote because "
                + guard.reason() + ". Clearing the guard may lose committed writes; confirm with "
                + "--i-accept-losing-committed-entries, or start a member that has them instead");
        }
        final String was = guard.reason();
        guard.clearByOperator();
        System.out.println("cleared: the member in " + dir + " votes from its next start (it did not because "
            + was + ")");
        return DuetCtl.EXIT_OK;
    }
}
