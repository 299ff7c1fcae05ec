package dev.switchboard.simulator.twilio;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/** TwiML read as Twilio reads it: XML with no DOCTYPE (so no external entities), rooted at {@code <Response>}. */
final class TwimlXml {

    private TwimlXml() {
    }

    static Element response(String twiml) {
        Element root;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            root = f.newDocumentBuilder().parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalArgumentException("TwiML is not valid XML: " + e.getMessage(), e);
        }
        if (!"Response".equals(root.getTagName())) {
            throw new IllegalArgumentException("TwiML root is not <Response>");
        }
        return root;
    }
}
