package io.duetdb.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "completion", mixinStandardHelpOptions = true, description = {
    "Prints a bash (and zsh) completion script.", "Use: source <(duetctl completion)"})
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("duetctl", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return DuetCtl.EXIT_OK;
    }
}
