package dev.switchboard.simulator.twilio;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What Twilio reads from {@code <Response><Dial>} TwiML: who is dialled (a {@code <Number>}, a
 * {@code <Sip>} URI without its headers, or {@code conference:<name>} for a {@code <Conference>}), the {@code action} asked when the dialled leg ends, and how
 * long it rings ({@code timeout}, Twilio's default 30 s).
 */
public record DialVerb(String address, String action, int timeoutSeconds) {

    public static boolean isDial(String twiml) {
        return twiml.contains("<Dial");
    }

    public static DialVerb parse(String twiml) {
        NodeList dials = TwimlXml.response(twiml).getElementsByTagName("Dial");
        if (dials.getLength() != 1) {
            throw new IllegalArgumentException("TwiML must hold one <Dial>: " + twiml);
        }
        Element dial = (Element) dials.item(0);
        String conference = firstText(dial, "Conference");
        String address = conference == null ? firstText(dial, "Number") : "conference:" + conference;
        if (address == null) {
            address = firstText(dial, "Sip");
        }
        if (address == null) {
            address = dial.getTextContent().trim(); // <Dial>+1555...</Dial>
        }
        if (address.isEmpty()) {
            throw new IllegalArgumentException("<Dial> names nobody: " + twiml);
        }
        int q = address.indexOf('?');
        String timeout = dial.getAttribute("timeout");
        return new DialVerb(q < 0 ? address : address.substring(0, q), dial.getAttribute("action"),
                timeout.isEmpty() ? 30 : Integer.parseInt(timeout));
    }

    private static String firstText(Element dial, String tag) {
        NodeList nodes = dial.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }
}
