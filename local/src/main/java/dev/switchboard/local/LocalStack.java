package dev.switchboard.local;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.local.EmbeddedDynamo;
import dev.switchboard.simulator.audio.SynthesizedVoice;
import dev.switchboard.simulator.realtime.RealtimeSimulator;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Local mode: everything the relay needs on one machine with no credentials. DynamoDB Local runs in
 * this process; the OpenAI Realtime simulator stands in unless {@code OPENAI_API_KEY} is set; the
 * Twilio REST simulator stands in unless {@code TWILIO_ACCOUNT_SID} is set. Never in the relay image:
 * this module is not part of it.
 */
@Singleton
public class LocalStack {

    private static final Logger LOG = Logger.getLogger(LocalStack.class);
    public static final String LOCAL_ACCOUNT_SID = "AC" + "0".repeat(32);
    public static final String LOCAL_AUTH_TOKEN = "local-auth-token";
    public static final String LOCAL_OPENAI_KEY = "sk-local-simulator";
    /** Local mode only, when RELAY_INTERNAL_TOKEN is not set. */
    public static final String LOCAL_INTERNAL_TOKEN = "local-internal-token";

    /** Unset: DynamoDB Local has no network port at all (nothing on the network can read the calls). */
    private final Optional<Integer> dynamoPort;
    private final int realtimePort;
    private final int twilioPort;

    private Vertx simulatorVertx;
    private EmbeddedDynamo dynamo;
    private AmazonDynamoDBLocal inProcess;
    private RealtimeSimulator realtime;
    /** The simulator says its words with espeak-ng when installed (tests keep the speech-like sound they count). */
    private final boolean spokenWords;
    private TwilioRestSimulator twilioRest;

    public LocalStack(@ConfigProperty(name = "switchboard.local.dynamodb-port") Optional<Integer> dynamoPort,
                      @ConfigProperty(name = "switchboard.local.realtime-port", defaultValue = "8091") int realtimePort,
                      @ConfigProperty(name = "switchboard.local.twilio-port", defaultValue = "8092") int twilioPort,
                      @ConfigProperty(name = "switchboard.local.spoken-words", defaultValue = "true") boolean spokenWords) {
        this.spokenWords = spokenWords;
        this.dynamoPort = dynamoPort;
        this.realtimePort = realtimePort;
        this.twilioPort = twilioPort;
    }

    /** Starts what is missing and returns the settings that point at it. */
    public synchronized Settings apply(Settings base) {
        Settings s = base;
        if (s.dynamoDbEndpoint().isEmpty() && dynamoPort.isPresent()) {
            dynamo = EmbeddedDynamo.start(dynamoPort.get());
            s = s.withDynamoDbEndpoint(dynamo.endpoint());
            LOG.warnf("local mode: DynamoDB Local in-process at %s; it listens on every interface of this machine",
                    dynamo.endpoint());
        } else if (s.dynamoDbEndpoint().isEmpty()) {
            inProcess = DynamoDBEmbedded.create(true); // true: no telemetry
            LOG.info("local mode: DynamoDB Local in-process, in memory, with no network port"
                    + " (set SWITCHBOARD_LOCAL_DYNAMODB_PORT to open one)");
        }
        simulatorVertx = Vertx.vertx();
        if (s.openAiApiKey().isEmpty()) {
            realtime = new RealtimeSimulator(simulatorVertx, LOCAL_OPENAI_KEY).start(realtimePort);
            s = s.withOpenAi(realtime.url(), LOCAL_OPENAI_KEY);
            LOG.infof("local mode: OPENAI_API_KEY is not set, the Realtime simulator answers at %s", realtime.url());
            if (spokenWords) {
                SynthesizedVoice.ifInstalled().ifPresentOrElse(voice -> {
                    realtime.voice(voice);
                    LOG.info("local mode: the simulator speaks its words with espeak-ng");
                }, () -> LOG.info("local mode: install espeak-ng (apt-get install espeak-ng) to hear the simulator say its words"));
            }
        } else {
            LOG.infof("local mode: using the real OpenAI Realtime API at %s", s.openAiRealtimeUrl());
        }
        if (s.twilioAccountSid().isEmpty()) {
            String token = s.twilioAuthToken().isEmpty() ? LOCAL_AUTH_TOKEN : s.twilioAuthToken();
            twilioRest = new TwilioRestSimulator(simulatorVertx, LOCAL_ACCOUNT_SID, token).start(twilioPort);
            s = s.withTwilio(twilioRest.baseUrl(), LOCAL_ACCOUNT_SID, token);
            LOG.infof("local mode: TWILIO_ACCOUNT_SID is not set, the Twilio REST simulator answers at %s", twilioRest.baseUrl());
        }
        return s;
    }

    /** The client of DynamoDB Local when it runs with no network port. */
    public Optional<DynamoDbClient> inProcessDynamo() {
        return Optional.ofNullable(inProcess).map(AmazonDynamoDBLocal::dynamoDbClient);
    }

    public Optional<RealtimeSimulator> realtimeSimulator() {
        return Optional.ofNullable(realtime);
    }

    public Optional<TwilioRestSimulator> twilioRestSimulator() {
        return Optional.ofNullable(twilioRest);
    }

    public Optional<Vertx> simulatorVertx() {
        return Optional.ofNullable(simulatorVertx);
    }

    @PreDestroy
    synchronized void stop() {
        if (realtime != null) {
            realtime.close();
        }
        if (twilioRest != null) {
            twilioRest.close();
        }
        if (simulatorVertx != null) {
            simulatorVertx.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        if (inProcess != null) {
            inProcess.shutdown();
        }
    }
}
