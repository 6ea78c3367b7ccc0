package io.ticketing.app;

import io.ticketing.api.web.auth.ApiKeys;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.ApiKey;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.persistence.mybatis.Sessions;
import io.ticketing.persistence.mybatis.access.ApiKeyRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "admin", mixinStandardHelpOptions = true, description = "Administer the application.", subcommands = AdminCommand.CreateKey.class)
final class AdminCommand {

    enum KeyRole { ADMIN, STAFF }

    @Command(name = "create-key", mixinStandardHelpOptions = true, description = "Create an API key for an admin or for door staff, and print it once.")
    static final class CreateKey implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--role", required = true, paramLabel = "ADMIN|STAFF", description = "What the key may do: ${COMPLETION-CANDIDATES}.")
        KeyRole role;

        @Option(names = "--name", defaultValue = "${env:USER:-operator}", paramLabel = "NAME",
                description = "Who or what holds the key; recorded as the actor in the audit log (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            ApiKey holder;
            try {
                holder = ApiKey.issue(name, Actor.Role.valueOf(role.name()));
            } catch (InvalidValueException e) {
                throw new ParameterException(spec.commandLine(), "--name: " + e.getMessage());
            }
            try (RunDatabase db = RunDatabase.open(database)) {
                db.migrate("admin create-key");
                String key = ApiKeys.generate();
                new ApiKeyRepository(new Sessions(db.dataSource())).insertApiKey(holder, ApiKeys.hash(key));
                System.out.println(key);
                System.err.println("Created a " + role + " key for '" + holder.name() + "'. It is shown only now: keep it safe. "
                        + "Send it as the X-API-Key header.");
                return 0;
            }
        }
    }
}
