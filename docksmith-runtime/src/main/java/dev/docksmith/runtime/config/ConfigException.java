package dev.docksmith.runtime.config;

/** A setting has a value Docksmith cannot use; the message names the setting and the value. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
