package dev.switchboard.simulator.twilio;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Twilio reads from {@code <Response><Connect><Stream>} TwiML: the stream URL, its status
 * callback and parameters, and the {@code <Connect action>} (empty if none), asked when the stream ends. Parsing rejects what Twilio would: no Connect/Stream, a stream URL that is
 * not ws(s), a query string on it, or any verb after {@code </Connect>}.
 */
public record ConnectStream(String url, String statusCallback, Map<String, String> parameters, String action) {

    public static ConnectStream parse(String twiml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8)));
            Element response = doc.getDocumentElement();
            if (!"Response".equals(response.getTagName())) {
                throw new IllegalArgumentException("TwiML root is not <Response>");
            }
            Element connect = null;
            NodeList children = response.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                Node n = children.item(i);
                if (n instanceof Element e) {
                    if (connect != null) {
                        throw new IllegalArgumentException("a verb <" + e.getTagName() + "> follows </Connect>");
                    }
                    if (e.getTagName().equals("Connect")) {
                        connect = e;
                    }
                }
            }
            if (connect == null) {
                throw new IllegalArgumentException("no <Connect> in TwiML: " + twiml);
            }
            NodeList streams = connect.getElementsByTagName("Stream");
            if (streams.getLength() != 1) {
                throw new IllegalArgumentException("<Connect> must hold exactly one <Stream>");
            }
            Element stream = (Element) streams.item(0);
            String url = stream.getAttribute("url");
            if (!url.startsWith("wss://") && !url.startsWith("ws://")) {
                throw new IllegalArgumentException("stream url must be wss: " + url);
            }
            if (url.contains("?")) {
                throw new IllegalArgumentException("stream url must not carry a query string (error 31920): " + url);
            }
            Map<String, String> params = new LinkedHashMap<>();
            NodeList ps = stream.getElementsByTagName("Parameter");
            for (int i = 0; i < ps.getLength(); i++) {
                Element p = (Element) ps.item(i);
                params.put(p.getAttribute("name"), p.getAttribute("value"));
            }
            return new ConnectStream(url, stream.getAttribute("statusCallback"), params, connect.getAttribute("action"));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("TwiML is not valid XML: " + e.getMessage(), e);
        }
    }
}
