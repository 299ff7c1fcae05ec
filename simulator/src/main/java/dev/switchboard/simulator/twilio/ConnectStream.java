package dev.switchboard.simulator.twilio;

import java.util.LinkedHashMap;
import java.util.Map;
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
        Element response = TwimlXml.response(twiml);
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
    }
}
