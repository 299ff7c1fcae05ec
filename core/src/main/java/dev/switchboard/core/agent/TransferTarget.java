package dev.switchboard.core.agent;

/**
 * A person or queue the agent may hand a call to: a phone number (E.164) or a SIP URI, with the
 * description the model reads to choose it. {@code warm}: the agent calls the person first, briefs
 * them and asks whether they take the call, while the caller stays with the agent (numbers only).
 */
public record TransferTarget(String number, String sip, String description, boolean warm) {

    public TransferTarget(String number, String sip, String description) {
        this(number, sip, description, false);
    }

    public TransferTarget {
        boolean hasNumber = number != null && !number.isBlank();
        boolean hasSip = sip != null && !sip.isBlank();
        if (hasNumber == hasSip) {
            throw new IllegalArgumentException("a transfer target needs exactly one of number or sip");
        }
        if (hasNumber && !number.matches("\\+[1-9]\\d{6,14}")) {
            throw new IllegalArgumentException("transfer number '" + number + "' is not E.164 (+ and 7 to 15 digits)");
        }
        if (hasSip && !sip.startsWith("sip:")) {
            throw new IllegalArgumentException("transfer SIP target '" + sip + "' must start with sip:");
        }
        description = description == null ? "" : description;
        if (warm && hasSip) {
            throw new IllegalArgumentException("a warm transfer calls a number first: SIP target '" + sip + "' cannot be warm");
        }
    }

    public boolean isSip() {
        return sip != null && !sip.isBlank();
    }

    /** What the record and logs show: the number or URI. */
    public String address() {
        return isSip() ? sip : number;
    }
}
