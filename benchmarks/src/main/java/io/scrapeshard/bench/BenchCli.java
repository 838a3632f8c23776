package io.scrapeshard.bench;

import io.scrapeshard.bench.live.CompareAgentCommand;
import io.scrapeshard.bench.simulate.SimulateCommand;
import io.scrapeshard.bench.simulate.SimulationException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmark CLI: {@code simulate} compares strategies; {@code jmh [JMH options]} runs the JMH
 * micro-benchmarks packaged in the same jar.
 */
@Command(
    name = "scrape-shard-bench",
    mixinStandardHelpOptions = true,
    subcommands = {SimulateCommand.class, CompareAgentCommand.class},
    footer = {"", "jmh [JMH options]   Runs the JMH micro-benchmarks in this jar (try: jmh -h)."})
public final class BenchCli implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a command is required: simulate or jmh");
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line: a bad parameter prints one line naming it on stderr and exits with
   * 2, without a stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new BenchCli());
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          return CommandLine.ExitCode.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, command, parseResult) -> {
          if (ex instanceof SimulationException) {
            command.getErr().println("error: " + ex.getMessage());
            return CommandLine.ExitCode.USAGE;
          }
          throw ex;
        });
    return cli;
  }
}
