package io.ticketing.app;

import io.ticketing.database.DatabaseErrors;
import io.ticketing.domain.model.VisibleText;
import io.ticketing.migration.legacy.cli.LegacyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The {@code ticketing} command line: every way to run the application. */
@Command(name = "ticketing", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Event ticketing on PostgreSQL.",
        subcommands = {ServeCommand.class, MigrateCommand.class, InfoCommand.class, LegacyCommand.class,
                RefreshAnalyticsCommand.class, MaintainCommand.class, EventCancelCommand.class, AdminCommand.class,
                DevCommand.class})
public final class Main {

    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the full stack trace of an error.")
    boolean stacktrace;

    /**
     * The PostgreSQL driver logs through java.util.logging, whose default handler writes to stderr: a bad --db-url
     * printed the driver's WARNING with its date line before our one line. Its SEVERE messages still show.
     */
    private static final Logger DRIVER_LOG = Logger.getLogger("org.postgresql");

    static {
        DRIVER_LOG.setLevel(Level.SEVERE);
    }

    /**
     * The progress bars' terminal (JLine's system terminal) gives SIGINT back to the operating system's default, so
     * Ctrl-C ended the process without its shutdown hooks: `legacy import` stopped without the line that says how to
     * resume. Its dumb terminal draws the same bars and leaves the signals to the JVM.
     */
    static final String TERMINAL_PROVIDER = "org.jline.terminal.provider";

    public static void main(String[] args) {
        if (System.getProperty(TERMINAL_PROVIDER) == null) {
            System.setProperty(TERMINAL_PROVIDER, "dumb");
        }
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        giveVersion(cli, new Version()); // `ticketing legacy --version` printed nothing: each command offers the option
        cli.registerConverter(Duration.class, new DurationConverter());
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean wantsTrace = commandLine.getCommandSpec().root().userObject() instanceof Main main && main.stacktrace;
            PrintWriter err = commandLine.getErr();
            err.println("ticketing: " + VisibleText.escapeLineBreaking(e instanceof CliException ? e.getMessage() : describe(e)));
            if (wantsTrace) {
                e.printStackTrace(err);
            }
            err.flush();
            return e instanceof CliException failure ? failure.exitCode() : CliException.FAILURE;
        });
        return cli.execute(args);
    }

    private static void giveVersion(CommandLine command, CommandLine.IVersionProvider version) {
        command.getCommandSpec().versionProvider(version);
        command.getSubcommands().values().forEach(sub -> giveVersion(sub, version));
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("ticketing: " + VisibleText.escapeLineBreaking(e.getMessage()) + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return CliException.USAGE;
    }

    /** One line: a database failure says where and why (Flyway's messages, for one, span many lines). */
    private static String describe(Exception e) {
        return DatabaseErrors.oneLine(e);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[]{"ticketing " + (version == null ? "(development build)" : version)};
        }
    }
}
