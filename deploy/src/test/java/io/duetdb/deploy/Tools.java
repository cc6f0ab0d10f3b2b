package io.duetdb.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pinned kubectl and helm (fetched by ci/tools.sh into the cache named by the system property
 * {@code duet.deploy.toolsDir}), and a bounded way to run them.
 */
final class Tools {
    static final Path DEPLOY_DIR = Path.of(System.getProperty("duet.deploy.dir", ".")).toAbsolutePath().normalize();
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
    private static Path dir;

    /** Exit code and output of one run. */
    record Result(int exit, String out, String err) {
        String both() {
            return out + err;
        }
    }

    private Tools() {
    }

    static synchronized Path dir() throws IOException, InterruptedException {
        if (dir == null) {
            final String cache = System.getProperty("duet.deploy.toolsDir",
                Path.of(System.getProperty("user.home"), ".cache", "duet", "deploy-tools").toString());
            final Result r = run(List.of(DEPLOY_DIR.resolve("ci/tools.sh").toString(), cache), null);
            if (r.exit() != 0) {
                throw new IOException("deploy/ci/tools.sh failed (exit " + r.exit() + "): " + r.both());
            }
            final String[] lines = r.out().strip().split("\n");
            dir = Path.of(lines[lines.length - 1]);
        }
        return dir;
    }

    static Path kubectl() throws IOException, InterruptedException {
        return dir().resolve("kubectl/kubectl");
    }

    static Path helm() throws IOException, InterruptedException {
        return dir().resolve("helm/helm");
    }

    /** {@code kubectl kustomize DIR}; fails the test when it does not render. */
    static String kustomize(final Path kustomization) throws IOException, InterruptedException {
        return succeed(List.of(kubectl().toString(), "kustomize", kustomization.toString()));
    }

    /** {@code helm template duet deploy/helm/duet --namespace NS ARGS...}; fails when it does not render. */
    static String helmTemplate(final String namespace, final String... args) throws IOException, InterruptedException {
        return succeed(helmCommand("template", namespace, args));
    }

    static List<String> helmCommand(final String verb, final String namespace, final String... args)
        throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>(List.of(helm().toString(), verb));
        if (verb.equals("template")) {
            cmd.add("duet");
        }
        cmd.add(DEPLOY_DIR.resolve("helm/duet").toString());
        if (namespace != null) {
            cmd.addAll(List.of("--namespace", namespace));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String succeed(final List<String> cmd) throws IOException, InterruptedException {
        final Result r = run(cmd, null);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (exit " + r.exit() + "):\n" + r.both());
        }
        return r.out();
    }

    /** Runs {@code cmd} with {@code stdin} (or none), killing it after {@link #TOOL_TIMEOUT}. */
    static Result run(final List<String> cmd, final String stdin) throws IOException, InterruptedException {
        final Path out = Files.createTempFile("tool", ".out");
        final Path err = Files.createTempFile("tool", ".err");
        try {
            final ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("HELM_CACHE_HOME", out.getParent().resolve("duet-helm-cache").toString());
            pb.environment().put("HELM_CONFIG_HOME", out.getParent().resolve("duet-helm-config").toString());
            final Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + TOOL_TIMEOUT);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
