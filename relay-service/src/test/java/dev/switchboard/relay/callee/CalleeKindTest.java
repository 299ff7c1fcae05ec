package dev.switchboard.relay.callee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What answered, from the words heard: lines as transcribers write them, from many kinds of systems and people. */
class CalleeKindTest {

    static final Map<CalleeKind, List<String>> LINES = Map.of(
            CalleeKind.MENU, List.of(
                    "Thank you for calling Acme Supply. For billing, press 1. For orders, press 2.",
                    "For English, press one. Para español, oprima el dos.",
                    "Please listen carefully as our menu options have changed.",
                    "Please enter your account number followed by the pound sign.",
                    "If you know your party's extension, you may dial it at any time.",
                    "Say or press 1 for appointments.",
                    "To return to the main menu, press star.",
                    "Please select from the following options.",
                    "To speak with a representative, dial zero."),
            CalleeKind.VOICEMAIL, List.of(
                    "Hi, you've reached Dana. Leave a message after the tone and I'll call you back.",
                    "The person you are trying to reach is not available. At the tone, please record your message.",
                    "Sorry I can't come to the phone right now.",
                    "The Google subscriber you have called is not available, please leave a message.",
                    "Welcome to the voicemail box of 5 5 5 0 1 0 4.",
                    "The mailbox is full and cannot accept any messages at this time."),
            CalleeKind.SCREENER, List.of(
                    "Hi, the person you're calling is using a screening service from Google. Go ahead and say your name and why you're calling.",
                    "Please state your name and the reason for your call.",
                    "Who's calling, please?",
                    "Before I try to connect you, can I ask what this call is regarding?",
                    "This call is being screened. Please record your name after the tone."),
            CalleeKind.RECORDING, List.of(
                    "All of our representatives are currently assisting other callers. Please stay on the line.",
                    "Your call is very important to us.",
                    "Your estimated wait time is 12 minutes.",
                    "This call may be recorded for quality assurance.",
                    "Please continue to hold, an agent will be with you shortly."),
            CalleeKind.GREETING, List.of(
                    "Thank you for calling Acme Supply.",
                    "Welcome to Northwind Health.",
                    "You have reached the accounts department of Contoso."),
            CalleeKind.PERSON, List.of(
                    "Hello?",
                    "Hi.",
                    "Yeah?",
                    "Accounts payable, Maria speaking.",
                    "Thanks for calling Acme, this is Dana, how can I help you?",
                    "Billing department.",
                    "Good morning, Contoso, what can I do for you today?",
                    "Sorry, who did you want to speak to?",
                    "Oh hi, yes, I was expecting your call about the invoice."));

    @Test
    void everyLineIsTakenForWhatItIs() {
        List<String> wrong = new ArrayList<>();
        LINES.forEach((kind, lines) -> lines.forEach(line -> {
            CalleeKind got = CalleeKind.of(line);
            if (got != kind) {
                wrong.add(kind + " taken for " + got + ": " + line);
            }
        }));
        assertEquals(List.of(), wrong);
    }

    @Test
    void aTranscriberWritingCurlyApostrophesOrCapitalsChangesNothing() {
        assertEquals(CalleeKind.SCREENER, CalleeKind.of("WHO’S CALLING?"));
        assertEquals(CalleeKind.VOICEMAIL, CalleeKind.of("Sorry I can’t take your call"));
    }

    @Test
    void aPromptHeardAgainIsRecognisedThoughItsTranscriptDiffers() {
        PhoneTree tree = new PhoneTree();
        assertEquals(0, tree.heard("For billing, press 1. For orders, press 2.").repeats());
        assertEquals(0, tree.heard("Billing. For invoices, press 3. For payments, press 4.").repeats());
        assertEquals(1, tree.heard("For billing press one, for orders press 2").repeats(), "digits written differently");
        assertEquals(1, tree.heard("Billing. For invoices press 3, for payments press four.").repeats());
        assertEquals(2, tree.heard("For billing, press 1. For orders, press 2.").repeats());
        tree.keysSent("1");
        assertTrue(tree.path().contains("pressed: 1"));
        assertEquals(6, tree.path().size());
    }
}
