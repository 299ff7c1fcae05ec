package dev.switchboard.relay.hold;

/**
 * Whether a run of speech on a hold line is someone singing, once the agent has dismissed music on
 * this call ({@code continue_hold} with heard=music). Before that it never objects: a person's first
 * words after a plain hold wake the agent as fast as ever. After it, a run that reaches the wake bar is
 * looked at twice, 190 ms apart (190 ms more before a wake): if either look finds mostly held notes
 * ({@link SungNotes}), the whole run is singing and is let go until the line has been without speech for
 * 160 ms. Speech glides, so a person scores low on both looks. Chosen on the dev set of bench/vocal-eval
 * (docs/BENCHMARKS.md): three looks or a longer gap cut more false wakes but missed more people.
 */
final class SungOnsets {

    /** SUNG: this run was just found sung; STILL_SUNG: a run found sung before goes on. */
    enum Verdict { WAKE, WAIT, SUNG, STILL_SUNG }

    /** At or over this share of held notes a look finds singing. */
    static final double SUNG_SHARE = 0.5;
    /** Chunks (32 ms) between looks, and the looks taken before a wake. */
    static final int LOOK_EVERY_CHUNKS = 6;
    static final int LOOKS = 2;
    /** Chunks without speech (160 ms) that end a run found sung: a person picking up as the song stops is heard. */
    static final int RUN_GAP_CHUNKS = 5;

    private final SungNotes notes = new SungNotes();
    private boolean vocalMusic;
    private boolean sungRun;
    private int quietChunks;
    private double lastShare;
    private int ignored;

    void add(float[] samples, int n) {
        notes.add(samples, n);
    }

    /** One Silero chunk: whether it was speech. */
    void onChunk(boolean speech) {
        quietChunks = speech ? 0 : quietChunks + 1;
        if (quietChunks >= RUN_GAP_CHUNKS) {
            sungRun = false;
        }
    }

    /** The agent dismissed music: from now on sung runs do not wake it. */
    void musicDismissed() {
        vocalMusic = true;
    }

    /** Whether the agent has dismissed music on this call. */
    boolean onMusicLine() {
        return vocalMusic;
    }

    /** A run of speech is {@code chunksOverBar} chunks past the wake bar, on a new chunk (0 when it reaches it). */
    Verdict atWakeBar(int chunksOverBar) {
        if (!vocalMusic) {
            return Verdict.WAKE; // no pitch work until the agent has dismissed music on this call
        }
        if (sungRun) {
            return Verdict.STILL_SUNG;
        }
        if (chunksOverBar % LOOK_EVERY_CHUNKS != 0) {
            return Verdict.WAIT;
        }
        lastShare = notes.heldShare();
        if (lastShare >= SUNG_SHARE) {
            sungRun = true;
            ignored++;
            return Verdict.SUNG;
        }
        return chunksOverBar >= (LOOKS - 1) * LOOK_EVERY_CHUNKS ? Verdict.WAKE : Verdict.WAIT;
    }

    /** The held-note share of the latest look (0-1). */
    double lastShare() {
        return lastShare;
    }

    /** Runs let go because they were sung. */
    int ignored() {
        return ignored;
    }
}
