package dev.switchboard.core.agent;

/**
 * A person or queue the agent may hand a call to: a phone number (E.164) or a SIP URI, with the
 * description the model reads to choose it.
 */
public record TransferTarget(String number, String sip, String description) {

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
    }

    public boolean isSip() {
        return sip != null && !sip.isBlank();
    }

    /** What the record and logs show: the number or URI. */
    public String address() {
        return isSip() ? sip : number;
    }
}
