package io.scrapeshard.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar scrape-shard.jar run --config FILE} or {@code ... demo}. */
@Command(
    name = "scrape-shard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Consistent-hash Prometheus scrape sharding over ZooKeeper.",
    subcommands = {RunCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("demo") && System.getProperty("LOG_LEVEL") == null) {
      System.setProperty("LOG_LEVEL", "WARN"); // before the first logger: keep the summary readable
    }
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: run or demo");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"scrape-shard " + (v == null ? "(development build)" : v)};
    }
  }
}
