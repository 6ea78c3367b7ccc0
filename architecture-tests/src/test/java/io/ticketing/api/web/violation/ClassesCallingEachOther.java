package io.ticketing.api.web.violation;

/** Deliberately wrong, to prove that the rules bite: two classes of one package that need each other. */
public final class ClassesCallingEachOther {

    static String render() {
        return Helper.problem();
    }

    public static final class Nested {
    }
}

final class Helper {
    static String problem() {
        return "problem at " + ClassesCallingEachOther.class.getSimpleName() + new ClassesCallingEachOther.Nested();
    }
}
