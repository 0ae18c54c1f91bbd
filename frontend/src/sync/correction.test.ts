import { describe, expect, it } from 'vitest';
import { SYNC_CONFIG, type SyncConfig } from './config';
import { decideCorrection, IDLE, SeekLead, type CorrectionInput } from './correction';

const config: SyncConfig = {
  ...SYNC_CONFIG,
  deadBandMs: 20,
  settleBandMs: 5,
  seekThresholdMs: 750,
  maxRateAdjust: 0.1,
  correctionHorizonS: 1,
  pausedToleranceMs: 1,
};

/** The player is `driftMs` ahead of an expected position of 100 s. */
const input = (driftMs: number, over: Partial<CorrectionInput> = {}): CorrectionInput => ({
  currentS: 100 + driftMs / 1000,
  expectedS: 100,
  roomRate: 1,
  playing: true,
  seekPending: false,
  ...over,
});

describe('decideCorrection while playing', () => {
  it('does nothing inside the dead band and runs at the room rate', () => {
    for (const drift of [0, 5, -5, 19.9, -19.9]) {
      const d = decideCorrection(input(drift, { roomRate: 1.5 }), IDLE, config);
      expect(d.action).toBe('none');
      expect(d.playbackRate).toBe(1.5);
      expect(d.next.correcting).toBe(false);
    }
  });

  it('reports the drift with its sign: positive when ahead', () => {
    expect(decideCorrection(input(42), IDLE, config).driftMs).toBeCloseTo(42, 6);
    expect(decideCorrection(input(-42), IDLE, config).driftMs).toBeCloseTo(-42, 6);
  });

  it('slows down when ahead and speeds up when behind, in proportion to the drift', () => {
    const ahead = decideCorrection(input(50), IDLE, config);
    expect(ahead.action).toBe('rate');
    expect(ahead.playbackRate).toBeCloseTo(0.95, 6);
    expect(ahead.next.correcting).toBe(true);

    const behind = decideCorrection(input(-30), IDLE, config);
    expect(behind.action).toBe('rate');
    expect(behind.playbackRate).toBeCloseTo(1.03, 6);
  });

  it('closes the drift over the configured horizon', () => {
    const d = decideCorrection(input(-40), IDLE, { ...config, correctionHorizonS: 2 });
    expect(d.playbackRate).toBeCloseTo(1.02, 6);
  });

  it('clamps the adjustment to maxRateAdjust of the room rate', () => {
    expect(decideCorrection(input(400), IDLE, config).playbackRate).toBeCloseTo(0.9, 6);
    expect(decideCorrection(input(-400), IDLE, config).playbackRate).toBeCloseTo(1.1, 6);
    expect(decideCorrection(input(-400, { roomRate: 2 }), IDLE, config).playbackRate).toBeCloseTo(2.2, 6);
    expect(decideCorrection(input(400, { roomRate: 0.5 }), IDLE, config).playbackRate).toBeCloseTo(0.45, 6);
  });

  it('seeks to the expected position past the threshold', () => {
    for (const drift of [751, -751, 5000]) {
      const d = decideCorrection(input(drift), IDLE, config);
      expect(d.action).toBe('seek');
      expect(d.seekTo).toBeCloseTo(100, 9);
      expect(d.playbackRate).toBe(1);
      expect(d.next.correcting).toBe(false);
    }
  });

  it('does not seek at or just below the threshold', () => {
    expect(decideCorrection(input(750), IDLE, config).action).toBe('rate');
    expect(decideCorrection(input(-749), IDLE, config).action).toBe('rate');
  });

  it('aims a seek ahead by the learned lead, scaled by the rate', () => {
    expect(decideCorrection(input(-2000, { seekLeadMs: 80 }), IDLE, config).seekTo).toBeCloseTo(100.08, 9);
    expect(decideCorrection(input(-2000, { seekLeadMs: 80, roomRate: 2 }), IDLE, config).seekTo).toBeCloseTo(
      100.16,
      9,
    );
  });

  it('keeps a seek target inside the media', () => {
    const d = decideCorrection(input(-2000, { expectedS: 59.99, currentS: 50, seekLeadMs: 100, durationS: 60 }), IDLE, config);
    expect(d.seekTo).toBe(60);
  });

  it('never corrects while a seek is pending', () => {
    for (const drift of [0, 50, -5000]) {
      const d = decideCorrection(input(drift, { seekPending: true }), { correcting: true }, config);
      expect(d.action).toBe('none');
      expect(d.seekTo).toBeUndefined();
      expect(d.playbackRate).toBe(1);
    }
  });
});

describe('decideCorrection with a smoothed drift', () => {
  it('judges the smoothed drift instead of the single sample', () => {
    // the sample says 2 ms, the mean of recent samples says -8 ms: keep correcting
    const d = decideCorrection(input(2, { smoothedDriftMs: -8 }), { correcting: true }, config);
    expect(d.action).toBe('rate');
    expect(d.driftMs).toBe(-8);
    expect(d.playbackRate).toBeCloseTo(1.008, 6);
  });

  it('still seeks to the expected position', () => {
    const d = decideCorrection(input(0, { smoothedDriftMs: -900 }), IDLE, config);
    expect(d.action).toBe('seek');
    expect(d.seekTo).toBe(100);
  });
});

describe('decideCorrection hysteresis', () => {
  it('starts correcting only outside the dead band, then keeps on until inside the settle band', () => {
    // 12 ms: inside the dead band, nothing starts
    expect(decideCorrection(input(12), IDLE, config).action).toBe('none');

    // 30 ms starts a correction
    let d = decideCorrection(input(30), IDLE, config);
    expect(d.action).toBe('rate');

    // 12 ms while correcting: still outside the settle band, keep correcting
    d = decideCorrection(input(12), d.next, config);
    expect(d.action).toBe('rate');
    expect(d.playbackRate).toBeLessThan(1);

    // 4 ms: inside the settle band, stop
    d = decideCorrection(input(4), d.next, config);
    expect(d.action).toBe('none');
    expect(d.playbackRate).toBe(1);
    expect(d.next.correcting).toBe(false);

    // 12 ms again: back to the wide band, no correction
    expect(decideCorrection(input(12), d.next, config).action).toBe('none');
  });

  it('follows the drift across zero while correcting', () => {
    const d = decideCorrection(input(-8), { correcting: true }, config);
    expect(d.action).toBe('rate');
    expect(d.playbackRate).toBeGreaterThan(1);
  });
});

describe('decideCorrection while paused', () => {
  it('seeks to the exact position when the player is elsewhere, without any lead', () => {
    const d = decideCorrection(input(300, { playing: false, seekLeadMs: 100 }), { correcting: true }, config);
    expect(d.action).toBe('seek');
    expect(d.seekTo).toBe(100);
    expect(d.next.correcting).toBe(false);
  });

  it('leaves a player that is at the position alone', () => {
    expect(decideCorrection(input(0.5, { playing: false }), IDLE, config).action).toBe('none');
  });

  it('never uses a rate change', () => {
    expect(decideCorrection(input(15, { playing: false }), IDLE, config).action).toBe('seek');
  });
});

describe('SeekLead', () => {
  it('starts at the configured lead', () => {
    expect(new SeekLead({ ...config, initialSeekLeadMs: 40 }).ms).toBe(40);
  });

  it('grows when seeks land behind and shrinks when they land ahead', () => {
    const lead = new SeekLead({ ...config, initialSeekLeadMs: 0, seekLeadSmoothing: 1 });
    lead.observe(0, -60, 1); // landed 60 ms behind: aim 60 ms further next time
    expect(lead.ms).toBeCloseTo(60, 9);
    lead.observe(60, 20, 1); // now 20 ms ahead: aim 40
    expect(lead.ms).toBeCloseTo(40, 9);
  });

  it('smooths observations and converts media ms to wall ms by the rate', () => {
    const lead = new SeekLead({ ...config, initialSeekLeadMs: 0, seekLeadSmoothing: 0.5 });
    lead.observe(0, -100, 2); // 100 media ms at rate 2 = 50 wall ms; halfway there
    expect(lead.ms).toBeCloseTo(25, 9);
  });

  it('stays within [0, maxSeekLeadMs] and ignores wild observations', () => {
    const lead = new SeekLead({ ...config, initialSeekLeadMs: 0, seekLeadSmoothing: 1, maxSeekLeadMs: 300 });
    lead.observe(0, 50, 1);
    expect(lead.ms).toBe(0);
    lead.observe(0, -400, 1);
    expect(lead.ms).toBe(300);
    lead.observe(300, -5000, 1); // beyond the seek threshold: not a seek-latency measurement
    expect(lead.ms).toBe(300);
  });
});
