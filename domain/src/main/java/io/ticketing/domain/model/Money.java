package io.ticketing.domain.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Currency;

/**
 * A non-negative amount with exactly two decimals in one ISO-4217 currency, at most {@link #MAX_AMOUNT}; in a currency
 * without minor unit (JPY, KRW, …) both are zero: a provider cannot take ¥12.50.
 */
public record Money(BigDecimal amount, Currency currency) {

    /** The largest sum kept: what an event's sales add up to in its summary and analytics (numeric(20, 2)). */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999999999.99");
    /** The largest price, checkout amount or booking total: what one stored amount holds (numeric(10, 2)). */
    public static final BigDecimal MAX_PRICE = new BigDecimal("99999999.99");

    public Money {
        InvalidValueException.required(amount, "amount");
        InvalidValueException.required(currency, "currency");
        InvalidValueException.check(amount.signum() >= 0, "amount must not be negative: " + amount);
        InvalidValueException.check(amount.compareTo(MAX_AMOUNT) <= 0, "amount must not exceed " + MAX_AMOUNT + ": " + amount);
        InvalidValueException.check(amount.stripTrailingZeros().scale() <= 2,
                "amount has more than 2 decimals: " + amount);
        InvalidValueException.check(amount.stripTrailingZeros().scale() <= 0 || currency.getDefaultFractionDigits() != 0,
                "amount has decimals, which %s has none of: %s".formatted(currency.getCurrencyCode(), amount));
        amount = amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    /** This amount as one price or one checkout's total: at most {@link #MAX_PRICE}, else refused naming {@code what}. */
    public Money requireAtMostOnePrice(String what) {
        checkOnePrice(amount, what);
        return this;
    }

    /**
     * A price as a client sends it: past {@link #MAX_PRICE} refused as a price, whatever its size (the
     * constructor would name the limit of a sum for one past {@link #MAX_AMOUNT}).
     */
    public static Money price(BigDecimal amount, Currency currency) {
        checkOnePrice(InvalidValueException.required(amount, "price"), "price");
        return new Money(amount, currency);
    }

    private static void checkOnePrice(BigDecimal amount, String what) {
        InvalidValueException.check(amount.compareTo(MAX_PRICE) <= 0, what + " must not exceed " + MAX_PRICE + ": " + amount);
    }

    public static Money of(String amount, String currencyCode) {
        return new Money(new BigDecimal(amount), currency(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    public static Money sum(Currency currency, Collection<Money> amounts) {
        return amounts.stream().reduce(zero(currency), Money::plus);
    }

    /** The currency of an ISO-4217 code as written ("EUR"): a code with anything around it, even unseen, is none. */
    /**
     * Whether tickets can be sold in {@code currency}: ISO 4217's codes of gold and other precious metals, of special
     * drawing rights and for testing (XAU, XDR, XXX, XTS…) have no minor unit, and its fund codes are units of account
     * (CLF, UYI, COU…) or same-day and next-day dollars (USN), none of them money a box office takes.
     */
    public static boolean isMoney(Currency currency) {
        return currency.getDefaultFractionDigits() >= 0 && !FUNDS.contains(currency.getCurrencyCode());
    }

    private static final java.util.Set<String> FUNDS = java.util.Set.of("BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW");

    public static Currency currency(String code) {
        try {
            return Currency.getInstance(InvalidValueException.required(code, "currency"));
        } catch (IllegalArgumentException unknown) {
            throw new InvalidValueException("not an ISO-4217 currency code: " + code);
        }
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.subtract(other.amount), currency);
    }

    private void requireSameCurrency(Money other) {
        InvalidValueException.check(currency.equals(other.currency),
                "cannot combine %s with %s".formatted(this, other));
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
