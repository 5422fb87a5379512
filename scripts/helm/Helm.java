// Runs `helm lint` and `helm template` through helm-java (Helm as a library, from Maven
// Central), for machines with no helm binary. Java 17 runs this file directly:
//
//   java -cp '.helm/lib/*' scripts/helm/Helm.java version
//   java -cp '.helm/lib/*' scripts/helm/Helm.java lint <chart>
//   java -cp '.helm/lib/*' scripts/helm/Helm.java template <chart> [--name N] [--namespace NS]
//        [--values FILE]... [--set KEY=VALUE]... [--kube-version V]
//   java -cp '.helm/lib/*' scripts/helm/Helm.java batch     (jobs on stdin, see below)
//
// lint is always --strict (helm-java's lint takes no values files: scripts/lib/helm-local.mjs
// lints other values by linting a copy of the chart whose values.yaml holds them).
// One JVM start costs about a second, so `batch` runs many jobs in one: each stdin line is
// one job, its words separated by tabs (`template<TAB><chart><TAB>--values<TAB>f.yaml`), and
// each result is written as a header line `@@helm <index> ok|failed <bytes>`, a newline, then
// exactly <bytes> bytes of UTF-8 output (the manifests, or the messages and the error).
// Exit code: 0 when every job succeeded, 1 otherwise, 2 for bad usage.

import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class Helm {
  record Result(boolean ok, String output) {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (args.length == 0) usage();
    if (args[0].equals("batch")) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      boolean allOk = true;
      int index = 0;
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank()) continue;
        Result r = run(Arrays.asList(line.split("\t")));
        byte[] bytes = r.output().getBytes(StandardCharsets.UTF_8);
        out.print("@@helm " + index++ + " " + (r.ok() ? "ok" : "failed") + " " + bytes.length + "\n");
        out.write(bytes);
        out.flush();
        allOk &= r.ok();
      }
      System.exit(allOk ? 0 : 1);
    }
    Result r = run(Arrays.asList(args));
    (r.ok() ? out : System.err).print(r.output());
    System.exit(r.ok() ? 0 : 1);
  }

  static Result run(List<String> job) {
    try {
      switch (job.get(0)) {
        case "version":
          return new Result(true, com.marcnuri.helm.Helm.version().call() + "\n");
        case "lint":
          return lint(job.subList(1, job.size()));
        case "template":
          return template(job.subList(1, job.size()));
        default:
          return new Result(false, "unknown command: " + job.get(0) + "\n");
      }
    } catch (RuntimeException e) {
      return new Result(false, String.valueOf(e.getMessage()) + "\n");
    }
  }

  static Result lint(List<String> args) {
    if (args.size() != 1) return new Result(false, "lint takes one chart directory\n");
    LintResult result = new com.marcnuri.helm.Helm(Path.of(args.get(0))).lint().strict().call();
    StringBuilder text = new StringBuilder();
    for (String message : result.getMessages()) text.append(message).append('\n');
    return new Result(!result.isFailed(), text.toString());
  }

  static Result template(List<String> args) {
    if (args.isEmpty()) return new Result(false, "template takes a chart directory\n");
    TemplateCommand command = new com.marcnuri.helm.Helm(Path.of(args.get(0))).template();
    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
    for (int i = 0; i < rest.size(); i += 2) {
      String flag = rest.get(i);
      if (i + 1 >= rest.size()) return new Result(false, flag + " needs a value\n");
      String value = rest.get(i + 1);
      switch (flag) {
        case "--name" -> command = command.withName(value);
        case "--namespace" -> command = command.withNamespace(value);
        case "--values" -> command = command.withValuesFile(Path.of(value));
        case "--kube-version" -> command = command.withKubeVersion(value);
        case "--set" -> {
          int eq = value.indexOf('=');
          if (eq < 1) return new Result(false, "--set needs KEY=VALUE\n");
          command = command.set(value.substring(0, eq), value.substring(eq + 1));
        }
        default -> {
          return new Result(false, "unknown flag: " + flag + "\n");
        }
      }
    }
    return new Result(true, command.call());
  }

  static void usage() {
    System.err.println("usage: Helm.java version | lint <chart> | template <chart> [flags] | batch");
    System.exit(2);
  }
}
