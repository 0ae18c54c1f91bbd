import { describe, expect, it } from 'vitest';
import { ClockEstimator, clockSample, probeDelayMs } from './clock';
import { SYNC_CONFIG } from './config';

describe('clockSample', () => {
  it('computes offset = t1 - (t0 + t3) / 2 and rtt = t3 - t0', () => {
    const s = clockSample(1000, 1510, 1020);
    expect(s.offsetMs).toBe(500);
    expect(s.rttMs).toBe(20);
  });

  it('keeps fractional milliseconds', () => {
    const s = clockSample(1000.25, 2000.5, 1001.75);
    expect(s.offsetMs).toBeCloseTo(999.5, 9);
    expect(s.rttMs).toBeCloseTo(1.5, 9);
  });
});

describe('ClockEstimator', () => {
  it('knows nothing before any sample', () => {
    const clock = new ClockEstimator(() => 0);
    expect(clock.offsetMs).toBeNull();
    expect(clock.rttMs).toBeNull();
    expect(clock.serverNow()).toBeNull();
  });

  it('uses the offset of the minimum-RTT sample, not the latest or the mean', () => {
    const clock = new ClockEstimator(() => 0);
    clock.addSample(0, 130, 60); // rtt 60, offset 100
    clock.addSample(100, 207, 110); // rtt 10, offset 102
    clock.addSample(200, 335, 270); // rtt 70, offset 100
    expect(clock.rttMs).toBe(10);
    expect(clock.offsetMs).toBe(102);
  });

  it('prefers the newest sample among equal RTTs', () => {
    const clock = new ClockEstimator(() => 0);
    clock.addSample(0, 105, 10); // rtt 10, offset 100
    clock.addSample(100, 206, 110); // rtt 10, offset 101
    expect(clock.offsetMs).toBe(101);
  });

  it('slides: the best sample is forgotten once it leaves the window', () => {
    const clock = new ClockEstimator(() => 0, 3);
    clock.addSample(0, 52, 4); // rtt 4, offset 50
    clock.addSample(10, 80, 30); // rtt 20, offset 60
    clock.addSample(20, 90, 40); // rtt 20, offset 60
    expect(clock.offsetMs).toBe(50);
    clock.addSample(30, 111, 44); // rtt 14, offset 74: pushes the rtt-4 sample out
    expect(clock.sampleCount).toBe(3);
    expect(clock.rttMs).toBe(14);
    expect(clock.offsetMs).toBe(74);
  });

  it('has the configured window by default', () => {
    const clock = new ClockEstimator(() => 0);
    for (let i = 0; i < SYNC_CONFIG.clockWindow + 5; i++) clock.addSample(i, i, i + 1);
    expect(clock.sampleCount).toBe(SYNC_CONFIG.clockWindow);
  });

  it('rejects impossible samples', () => {
    const clock = new ClockEstimator(() => 0);
    expect(clock.addSample(100, 500, 90)).toBeNull(); // answer before send
    expect(clock.addSample(Number.NaN, 500, 90)).toBeNull();
    expect(clock.sampleCount).toBe(0);
  });

  it('estimates the server clock from the injected client clock', () => {
    let now = 1_000;
    const clock = new ClockEstimator(() => now);
    clock.addSample(990, 5_996, 1_000); // offset 5001
    now = 2_000.5;
    expect(clock.serverNow()).toBeCloseTo(7_001.5, 9);
  });

  it('uses a seed only until the first probe answers', () => {
    const clock = new ClockEstimator(() => 0);
    clock.seed(10_000, 9_000);
    expect(clock.offsetMs).toBe(1_000);
    expect(clock.rttMs).toBeNull();
    clock.addSample(0, 1_204, 8); // offset 1200
    expect(clock.offsetMs).toBe(1_200);
    clock.seed(50_000, 0);
    expect(clock.offsetMs).toBe(1_200);
  });

  it('reset forgets the window but keeps the last estimate until a new sample', () => {
    const clock = new ClockEstimator(() => 0);
    clock.addSample(0, 102, 4); // rtt 4, offset 100
    clock.reset();
    expect(clock.sampleCount).toBe(0);
    expect(clock.offsetMs).toBe(100);
    expect(clock.rttMs).toBeNull();
    clock.seed(90_000, 0); // the new connection's welcome is no better than the old estimate
    expect(clock.offsetMs).toBe(100);
    clock.addSample(0, 330, 60); // rtt 60, offset 300: worse RTT, but the old one is gone
    expect(clock.offsetMs).toBe(300);
  });
});

describe('probeDelayMs', () => {
  it('bursts on connect, then slows down', () => {
    const delays = Array.from({ length: 8 }, (_, i) => probeDelayMs(i, SYNC_CONFIG));
    const burstGaps = SYNC_CONFIG.probeBurstCount - 1;
    expect(delays.slice(0, burstGaps)).toEqual(Array(burstGaps).fill(SYNC_CONFIG.probeBurstIntervalMs));
    expect(delays.slice(burstGaps)).toEqual(Array(8 - burstGaps).fill(SYNC_CONFIG.probeIntervalMs));
  });
});
