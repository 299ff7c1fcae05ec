package dev.switchboard.core.call;

/**
 * Token usage of a call, summed over every {@code response.done}, plus the audio we sent.
 * Field names match the keys stored in the record's {@code usage} map.
 */
public record Usage(long inputTokens, long outputTokens, long inputTextTokens, long inputAudioTokens,
                    long cachedTokens, long outputTextTokens, long outputAudioTokens, long responses,
                    long audioMillisSent) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Usage plus(Usage o) {
        return new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                inputTextTokens + o.inputTextTokens, inputAudioTokens + o.inputAudioTokens,
                cachedTokens + o.cachedTokens, outputTextTokens + o.outputTextTokens,
                outputAudioTokens + o.outputAudioTokens, responses + o.responses, audioMillisSent + o.audioMillisSent);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
