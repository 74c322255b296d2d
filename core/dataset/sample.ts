import { createRandom } from "../random.ts";
import type { Random } from "../types.ts";

/** Name under which the built-in sample is served. */
export const SAMPLE_NAME = "sample";

const DIMENSIONS = 16;
const NOISE_SHARE = 0.08;
const CHANNELS = [
  "organic_search",
  "social_ads",
  "referral",
  "newsletter",
  "partner",
];
const PLANS = ["free", "pro", "team"];

/** The latent groups: size share, spread, typical activity and favourite channel. */
const GROUPS = [
  { share: 0.3, spread: 0.6, activity: 0.3, channel: 0 },
  { share: 0.22, spread: 0.5, activity: 1.2, channel: 1 },
  { share: 0.18, spread: 0.8, activity: 0.7, channel: 2 },
  { share: 0.14, spread: 0.4, activity: 1.5, channel: 3 },
  { share: 0.08, spread: 0.7, activity: 0.5, channel: 4 },
];

/**
 * Generates the built-in sample: 2,400 synthetic users with a 16-dimensional
 * embedding drawn from five Gaussian groups of different size and spread plus
 * 8% uniform noise, and attributes whose distributions differ by group. The
 * same call always returns the same CSV bytes, so the sample's dashboard is
 * reproducible.
 */
export function generateSampleCsv(rows = 2400, seed = 7): Uint8Array {
  const random = createRandom(seed);
  const centres = GROUPS.map(() =>
    Array.from({ length: DIMENSIONS }, () => (random() - 0.5) * 12)
  );
  const lines = ["id,signup_date,channel,plan,activity,sessions,embedding"];
  const firstDay = Date.UTC(2025, 0, 1);

  for (let row = 0; row < rows; row++) {
    const group = random() < NOISE_SHARE ? -1 : pickGroup(random);
    const embedding = new Array<string>(DIMENSIONS);
    for (let c = 0; c < DIMENSIONS; c++) {
      const value = group < 0
        ? (random() - 0.5) * 16
        : centres[group]![c]! + gaussian(random) * GROUPS[group]!.spread;
      embedding[c] = value.toFixed(4);
    }

    // Attributes that depend on the group, so per-cluster charts differ.
    const profile = group < 0 ? { activity: 0.9, channel: -1 } : GROUPS[group]!;
    const activity = Math.max(0, profile.activity + gaussian(random) * 0.25);
    const channel = profile.channel >= 0 && random() < 0.6
      ? CHANNELS[profile.channel]!
      : CHANNELS[Math.floor(random() * CHANNELS.length)]!;
    const plan = PLANS[
      Math.min(
        PLANS.length - 1,
        Math.floor(activity * 1.5 * random() + random()),
      )
    ]!;
    const sessions = Math.round(activity * 40 + random() * 10);
    const day = new Date(firstDay + Math.floor(random() * 365) * 86_400_000)
      .toISOString().slice(0, 10);
    lines.push(
      `${row + 1},${day},${channel},${plan},${
        activity.toFixed(3)
      },${sessions},"[${embedding.join(",")}]"`,
    );
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

function pickGroup(random: Random): number {
  let draw = random() * GROUPS.reduce((sum, group) => sum + group.share, 0);
  for (let g = 0; g < GROUPS.length; g++) {
    draw -= GROUPS[g]!.share;
    if (draw < 0) return g;
  }
  return GROUPS.length - 1;
}

/** Draws a standard normal value (Box-Muller). */
function gaussian(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
