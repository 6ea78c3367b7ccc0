package io.ticketing.api.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a request's Content-Type says JSON in UTF-8, read as RFC 9110 (8.3.1) writes a media type: exactly
 * {@code application/json} (in any case), and of parameters at most one {@code charset}, {@code utf-8} (in any
 * case, quoted or not). A prefix is not a media type: {@code application/jsonfoo}, {@code application/json-patch+json}
 * or {@code application/json, text/plain} say something else, and two Content-Type headers, or two charsets, leave
 * which one counts to a guess.
 */
final class JsonMediaType {

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[\\t\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\t\\x20-\\x7E])*\"";
    private static final String PARAMETER = "[ \\t]*;[ \\t]*(?:(" + TOKEN + ")=(" + TOKEN + "|" + QUOTED + "))?";
    private static final Pattern MEDIA_TYPE = Pattern.compile("[ \\t]*application/json((?:" + PARAMETER + ")*)[ \\t]*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ONE_PARAMETER = Pattern.compile(PARAMETER);

    private JsonMediaType() {
    }

    /** Whether {@code headers}, every Content-Type line of a request, are one line that says JSON in UTF-8. */
    static boolean accepts(List<String> headers) {
        if (headers.size() != 1) {
            return false;
        }
        Matcher type = MEDIA_TYPE.matcher(headers.get(0));
        if (!type.matches()) {
            return false;
        }
        int charsets = 0;
        Matcher parameter = ONE_PARAMETER.matcher(type.group(1));
        while (parameter.find()) {
            if (parameter.group(1) == null) {
                continue; // an empty parameter (";;"), which the grammar allows
            }
            if (!parameter.group(1).equalsIgnoreCase("charset") || !unquoted(parameter.group(2)).equalsIgnoreCase("utf-8")) {
                return false;
            }
            charsets++;
        }
        return charsets <= 1;
    }

    private static String unquoted(String value) {
        if (!value.startsWith("\"")) {
            return value;
        }
        return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
    }
}
