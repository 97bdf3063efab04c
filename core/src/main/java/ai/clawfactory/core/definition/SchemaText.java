package ai.clawfactory.core.definition;

/**
 * Our sentence for one rule of the schema, in place of the validator's generic one.
 *
 * <p>Keyed (by {@link SchemaMessages} and the slices) as {@code <$defs name>/<keyword>}, or
 * {@code <$defs name>/<keyword>/<property>} for the {@code required} and
 * {@code dependentRequired} of one key, optionally followed by {@code @<key>} for the rule as
 * met under that key only. Every rule a text is for has a {@code $defs} entry of its own, so no key
 * holds an array index: reordering a {@code oneOf} cannot silently turn a text generic, and
 * {@code SchemaMessagesTest} resolves every key against the schema.
 *
 * @param message what is wrong and what to write instead
 * @param at      where the problem is reported: null at the value the rule is about,
 *                {@link #PROPERTY} at the property the finding names, or a child key's value
 */
record SchemaText(String message, String at) {

    /** Reported at the property the finding names (a {@code dependentRequired} key), with its path. */
    static final String PROPERTY = "*";

    static SchemaText of(String message) {
        return new SchemaText(message, null);
    }

    static SchemaText atProperty(String message) {
        return new SchemaText(message, PROPERTY);
    }

    static SchemaText atChild(String key, String message) {
        return new SchemaText(message, key);
    }
}
