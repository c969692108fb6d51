package dev.relup.engine.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@code COMMAND --key value ...}: every option takes exactly one value; unknown shapes are usage errors. */
record Args(String command, Map<String, String> options) {

    static Args parse(String[] argv) throws Relupctl.UsageException {
        if (argv.length == 0) {
            throw new Relupctl.UsageException("no command");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || argv[i].length() < 3) {
                throw new Relupctl.UsageException("unexpected argument '" + argv[i] + "'");
            }
            if (i + 1 >= argv.length) {
                throw new Relupctl.UsageException(argv[i] + " needs a value");
            }
            if (options.put(argv[i].substring(2), argv[i + 1]) != null) {
                throw new Relupctl.UsageException(argv[i] + " given twice");
            }
        }
        return new Args(argv[0], Map.copyOf(options));
    }

    /** Rejects options the command does not know, so a typo is not silently ignored. */
    Args only(String... names) throws Relupctl.UsageException {
        for (String key : options.keySet()) {
            if (!java.util.List.of(names).contains(key)) {
                throw new Relupctl.UsageException("'" + command + "' does not take --" + key);
            }
        }
        return this;
    }

    String required(String name) throws Relupctl.UsageException {
        return optional(name).orElseThrow(() -> new Relupctl.UsageException("--" + name + " is required"));
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(options.get(name));
    }
}
